// The model thread's entry when the app runs from its TypeScript source (dev, tests): a new
// thread starts without the parent's tsx loader, so it registers tsx itself, then loads the
// thread's code. The built app starts `model-thread.js` directly (`threaded-llm.ts`).
import { register } from 'tsx/esm/api'

register()
await import('./model-thread.ts')
