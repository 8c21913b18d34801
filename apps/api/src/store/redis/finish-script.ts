import { APPEND_CLOSED, APPEND_FENCED, APPEND_SEQ } from './append-script.js'
import { JOB_PATCH_LUA } from './job-scripts.js'
import { createLuaScript } from './lua-script.js'

/** Error reply of the finish script when the job does not exist. */
export const FINISH_NO_JOB = 'INKFLOW_NO_JOB'

/**
 * Ends a job's run in one step: patches its hash (and moves it between the indexes) and
 * appends its last event (next seq, stream entry `<seq>-0`, the log closed when the event is
 * terminal), or does neither.
 * Refuses, in this order, an unknown job, a writer whose attempt may no longer change the
 * job (not its attempt, or the job finished: `fenced` in `JOB_PATCH_LUA`), a closed log and
 * an append that names another seq — with the append script's error replies.
 * KEYS: stream, meta hash, job hash, jobsUnfinished, jobsFinished, jobsWaiting.
 * ARGV: event JSON (without seq), attempt ('' = no fence), expected seq ('' = any), jobId,
 * status ('' = no fence), close ('1' for a terminal event, else '0'), deleteCount, fields to delete …, field, json, field, json …
 * Returns the seq.
 */
export const finishJobScript = createLuaScript(`${JOB_PATCH_LUA}
if redis.call('EXISTS', KEYS[3]) == 0 then return redis.error_reply('${FINISH_NO_JOB}') end
if fenced(KEYS[3], ARGV[2], ARGV[5]) then return redis.error_reply('${APPEND_FENCED}') end
if redis.call('HGET', KEYS[2], 'closed') == '1' then
  return redis.error_reply('${APPEND_CLOSED}')
end
local seq = tonumber(redis.call('HGET', KEYS[2], 'seq') or '0') + 1
if ARGV[3] ~= '' and seq ~= tonumber(ARGV[3]) then
  return redis.error_reply('${APPEND_SEQ} ' .. seq)
end
patch_job(KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[4], 7)
redis.call('HSET', KEYS[2], 'seq', seq, 'closed', ARGV[6])
redis.call('XADD', KEYS[1], seq .. '-0', 'e', ARGV[1])
return seq
`)
