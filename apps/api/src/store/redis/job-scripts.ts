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
 * Creates a job unless its idempotency key was used: then returns `[fingerprint, jobId]`.
 * KEYS: job, jobsByCreated, jobsUnfinished, idempotency, idempotencyByUse, creationCounter.
 * ARGV: useIdempotency ('1'|'0'), fingerprint, jobId, createdAt, field, json, field, json …
 */
export const createJobScript = createLuaScript(`
local idem = ARGV[1] == '1'
if idem then
  local seen = redis.call('HMGET', KEYS[4], 'fingerprint', 'jobId')
  if seen[1] then return seen end
end
local order = redis.call('INCR', KEYS[6])
local unfinished = ARGV[4] .. '|' .. string.format('%016d', order) .. '|' .. ARGV[3]
redis.call('HSET', KEYS[1], '_unfinished', unfinished, unpack(ARGV, 5))
redis.call('ZADD', KEYS[2], 0, ARGV[4] .. '|' .. ARGV[3])
redis.call('ZADD', KEYS[3], 0, unfinished)
if idem then
  local used = ARGV[4] .. '|' .. KEYS[4]
  redis.call('HSET', KEYS[4], 'fingerprint', ARGV[2], 'jobId', ARGV[3])
  redis.call('ZADD', KEYS[5], 0, used)
  redis.call('HSET', KEYS[1], '_idem', KEYS[4], '_idemUsed', used)
end
return false
`)

/**
 * Patches a job and moves it between the unfinished and finished indexes to match its
 * status; returns the whole hash (HGETALL), or 0 when the job does not exist.
 * KEYS: job, jobsUnfinished, jobsFinished. ARGV: jobId, deleteCount, fields to delete …,
 * field, json, field, json …
 */
export const updateJobScript = createLuaScript(`${HELPERS}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local deletes = tonumber(ARGV[2])
for i = 3, 2 + deletes do redis.call('HDEL', KEYS[1], ARGV[i]) end
if #ARGV > 2 + deletes then redis.call('HSET', KEYS[1], unpack(ARGV, 3 + deletes)) end
local status = unquote(redis.call('HGET', KEYS[1], 'status'))
local unfinished = redis.call('HGET', KEYS[1], '_unfinished')
local finished = redis.call('HGET', KEYS[1], '_finished')
if finished then redis.call('ZREM', KEYS[3], finished) end
if terminal(status) then
  redis.call('ZREM', KEYS[2], unfinished)
  finished = unquote(redis.call('HGET', KEYS[1], 'updatedAt')) .. '|' .. ARGV[1]
  redis.call('ZADD', KEYS[3], 0, finished)
  redis.call('HSET', KEYS[1], '_finished', finished)
else
  redis.call('ZADD', KEYS[2], 0, unfinished)
  redis.call('HDEL', KEYS[1], '_finished')
end
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
