import { createLuaScript } from './lua-script.js'

// Job hashes hold the record's fields JSON-encoded, plus bookkeeping fields starting with `_`
// (raw strings) that name the index members to move or remove later:
//   _unfinished  member of jobsUnfinished: createdAt|creation order (16 digits)|id
//   _finished    member of jobsFinished: updatedAt|id, while the job is finished
//   _idem        the idempotency hash the job was created with, _idemUsed its index member
// JSON strings of ISO timestamps and statuses have nothing to unescape, so `unquote` is safe.
const HELPERS = `
local function unquote(json) return string.sub(json, 2, -2) end
local function terminal(status)
  return status == 'completed' or status == 'failed' or status == 'cancelled'
end
`

/**
 * Creates a job, and appends its first event (seq 1) when given one, unless its idempotency
 * key was used: then returns `[fingerprint, jobId, ownerToken]` (`ownerToken` nil for a key
 * recorded before owner tokens) and writes nothing.
 * KEYS: job, jobsByCreated, jobsUnfinished, idempotency, idempotencyByUse, creationCounter,
 * event stream, event meta hash.
 * ARGV: useIdempotency ('1'|'0'), fingerprint, jobId, createdAt, ownerToken,
 * first event JSON without seq ('' for none), field, json, field, json …
 */
export const createJobScript = createLuaScript(`
local idem = ARGV[1] == '1'
if idem then
  local seen = redis.call('HMGET', KEYS[4], 'fingerprint', 'jobId', 'ownerToken')
  if seen[1] then return seen end
end
local order = redis.call('INCR', KEYS[6])
local unfinished = ARGV[4] .. '|' .. string.format('%016d', order) .. '|' .. ARGV[3]
redis.call('HSET', KEYS[1], '_unfinished', unfinished, unpack(ARGV, 7))
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[8], 'seq', 1)
  redis.call('XADD', KEYS[7], '1-0', 'e', ARGV[6])
end
redis.call('ZADD', KEYS[2], 0, ARGV[4] .. '|' .. ARGV[3])
redis.call('ZADD', KEYS[3], 0, unfinished)
if idem then
  local used = ARGV[4] .. '|' .. KEYS[4]
  redis.call('HSET', KEYS[4], 'fingerprint', ARGV[2], 'jobId', ARGV[3], 'ownerToken', ARGV[5])
  redis.call('ZADD', KEYS[5], 0, used)
  redis.call('HSET', KEYS[1], '_idem', KEYS[4], '_idemUsed', used)
end
return false
`)

/**
 * A replay of a key recorded before owner tokens: its token becomes the key's (unless a
 * concurrent replay's did first) and its hash the job's (unless the job has an owner);
 * returns the key's token, or false when the key or the job is gone.
 * KEYS: idempotency, job. ARGV: ownerToken, ownerTokenHash as JSON ('' for none).
 */
export const claimLegacyKeyScript = createLuaScript(`
if redis.call('EXISTS', KEYS[2]) == 0 or redis.call('HEXISTS', KEYS[1], 'fingerprint') == 0 then
  return false
end
if redis.call('HSETNX', KEYS[1], 'ownerToken', ARGV[1]) == 1 and ARGV[2] ~= '' then
  redis.call('HSETNX', KEYS[2], 'ownerTokenHash', ARGV[2])
end
return redis.call('HGET', KEYS[1], 'ownerToken')
`)

/**
 * Lua shared by the scripts that change a running or finishing job (`updateJobScript`, the
 * finish script in `finish-script.ts`):
 * - `patch_job(job, unfinished_key, finished_key, waiting_key, id, from)` applies the patch
 *   found in ARGV from index `from` on (deleteCount, fields to delete …, field, json, field,
 *   json …) and moves the job between the unfinished, waiting and finished indexes to match
 *   its status (a waiting job is not unfinished: recovery must not run it);
 * - `fenced(job, attempt, status)`: whether a writer running `attempt` ('' = no fence) that
 *   expects the job's status to be `status` ('' = any) may no longer change the job: it is
 *   not the job's attempt, or the job has finished, or its status is another.
 */
export const JOB_PATCH_LUA = `${HELPERS}
local function patch_job(job, unfinished_key, finished_key, waiting_key, id, from)
  local deletes = tonumber(ARGV[from])
  for i = from + 1, from + deletes do redis.call('HDEL', job, ARGV[i]) end
  if #ARGV > from + deletes then redis.call('HSET', job, unpack(ARGV, from + 1 + deletes)) end
  local status = unquote(redis.call('HGET', job, 'status'))
  local unfinished = redis.call('HGET', job, '_unfinished')
  local finished = redis.call('HGET', job, '_finished')
  if finished then redis.call('ZREM', finished_key, finished) end
  if status == 'waiting' then
    redis.call('ZREM', unfinished_key, unfinished)
    redis.call('SADD', waiting_key, id)
    redis.call('HDEL', job, '_finished')
    return
  end
  redis.call('SREM', waiting_key, id)
  if terminal(status) then
    redis.call('ZREM', unfinished_key, unfinished)
    finished = unquote(redis.call('HGET', job, 'updatedAt')) .. '|' .. id
    redis.call('ZADD', finished_key, 0, finished)
    redis.call('HSET', job, '_finished', finished)
  else
    redis.call('ZADD', unfinished_key, 0, unfinished)
    redis.call('HDEL', job, '_finished')
  end
end
local function fenced(job, attempt, status)
  local f = redis.call('HMGET', job, 'attempt', 'status')
  if status ~= '' and (not f[2] or unquote(f[2]) ~= status) then return true end
  if attempt == '' then return false end
  if not f[1] or tonumber(f[1]) ~= tonumber(attempt) then return true end
  return f[2] and terminal(unquote(f[2])) or false
end
`

/** Error reply of a fenced update, matched by prefix. */
export const UPDATE_FENCED = 'INKFLOW_FENCED'

/**
 * Patches a job and moves it between the unfinished and finished indexes to match its
 * status; returns the whole hash (HGETALL), 0 when the job does not exist, or the error
 * `UPDATE_FENCED` when the writer's attempt may no longer change it.
 * KEYS: job, jobsUnfinished, jobsFinished, jobsWaiting. ARGV: jobId, attempt ('' = no
 * fence), status ('' = no fence), deleteCount, fields to delete …, field, json, field, json …
 */
export const updateJobScript = createLuaScript(`${JOB_PATCH_LUA}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if fenced(KEYS[1], ARGV[2], ARGV[3]) then return redis.error_reply('${UPDATE_FENCED}') end
patch_job(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1], 4)
return redis.call('HGETALL', KEYS[1])
`)

/**
 * Removes up to `limit` finished jobs updated before the cutoff, oldest first, with their
 * idempotency keys (when still theirs); returns the removed ids.
 * KEYS: jobsByCreated, jobsUnfinished, jobsFinished, idempotencyByUse.
 * ARGV: job key prefix (`<prefix>:job:`), cutoff ISO, limit.
 */
export const removeFinishedScript = createLuaScript(`${HELPERS}
local removed = {}
local members = redis.call('ZRANGEBYLEX', KEYS[3], '-', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(members) do
  local id = string.sub(member, string.find(member, '|', 1, true) + 1)
  local key = ARGV[1] .. id
  redis.call('ZREM', KEYS[3], member)
  local f = redis.call('HMGET', key, 'status', 'createdAt', '_unfinished', '_idem', '_idemUsed')
  if f[1] and terminal(unquote(f[1])) then
    redis.call('ZREM', KEYS[1], unquote(f[2]) .. '|' .. id)
    redis.call('ZREM', KEYS[2], f[3])
    if f[4] and redis.call('HGET', f[4], 'jobId') == id then
      redis.call('DEL', f[4])
      redis.call('ZREM', KEYS[4], f[5])
    end
    redis.call('DEL', key)
    table.insert(removed, id)
  end
end
return removed
`)

/**
 * Forgets idempotency keys first used before the cutoff; returns how many.
 * KEYS: idempotencyByUse. ARGV: cutoff ISO.
 */
export const expireIdempotencyScript = createLuaScript(`
local members = redis.call('ZRANGEBYLEX', KEYS[1], '-', '(' .. ARGV[1])
for _, member in ipairs(members) do
  redis.call('DEL', string.sub(member, string.find(member, '|', 1, true) + 1))
  redis.call('ZREM', KEYS[1], member)
end
return #members
`)
