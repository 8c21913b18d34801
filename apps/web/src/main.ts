import './app.css'
import { mount } from 'svelte'
import App from './App.svelte'
import { createApiClient } from './lib/api/api-client.js'
import { loadRuntimeConfig } from './lib/api/runtime-config.js'

// The API's address is read at run time, so one build serves every environment.
const { apiBaseUrl } = await loadRuntimeConfig()
mount(App, { target: document.getElementById('app')!, props: { api: createApiClient(apiBaseUrl) } })
