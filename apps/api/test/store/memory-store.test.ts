import { createMemoryEventLog } from '../../src/store/memory/memory-event-log.js'
import { createMemoryJobStore } from '../../src/store/memory/memory-job-store.js'
import { describeEventLogContract } from './event-log.contract.js'
import { describeJobStoreContract } from './job-store.contract.js'

describeJobStoreContract('memory', async () => createMemoryJobStore())
describeEventLogContract('memory', async () => createMemoryEventLog())
