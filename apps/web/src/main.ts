import './app.css'
import { mount } from 'svelte'
import App from './App.svelte'
import { accessToken } from './lib/api/access-token.js'
import { createApiClient } from './lib/api/api-client.js'
import { pageStorage } from './lib/api/browser-storage.js'
import { jobHistory } from './lib/api/job-history.js'
import { loadRuntimeConfig } from './lib/api/runtime-config.js'

// The API's address is read at run time, so one build serves every environment.
const { apiBaseUrl } = await loadRuntimeConfig()
// Blocked storage (undefined): the token and history last as long as the page.
const storage = pageStorage('localStorage')
const api = createApiClient(apiBaseUrl, fetch, accessToken(storage), jobHistory(storage))
mount(App, { target: document.getElementById('app')!, props: { api } })
