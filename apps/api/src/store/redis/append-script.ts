import { createLuaScript } from './lua-script.js'

/** Error replies of the append script, matched by prefix. */
export const APPEND_CLOSED = 'INKFLOW_CLOSED'
export const APPEND_FENCED = 'INKFLOW_FENCED'
export const APPEND_SEQ = 'INKFLOW_SEQ'

/**
 * Appends one event atomically: refuses a closed log and, when fenced, a writer whose
 * attempt is not the job's current one; takes the next seq from the counter; adds the
 * stream entry `<seq>-0`; closes the log after a terminal event. One script, so two
 * writers can never take the same seq or leave a gap, and nothing follows a terminal event;
 * an append that names its seq lands only there.
 * KEYS: stream, meta hash, job hash. ARGV: event JSON (without seq), terminal ('1'|'0'),
 * attempt ('' = no fence), expected seq ('' = any). Returns the seq.
 */
export const appendEventScript = createLuaScript(`
if redis.call('HGET', KEYS[2], 'closed') == '1' then
  return redis.error_reply('${APPEND_CLOSED}')
end
if ARGV[3] ~= '' then
  local current = redis.call('HGET', KEYS[3], 'attempt')
  if not current or tonumber(current) ~= tonumber(ARGV[3]) then
    return redis.error_reply('${APPEND_FENCED} ' .. tostring(current))
  end
end
if ARGV[4] ~= '' then
  local next = tonumber(redis.call('HGET', KEYS[2], 'seq') or '0') + 1
  if next ~= tonumber(ARGV[4]) then
    return redis.error_reply('${APPEND_SEQ} ' .. next)
  end
end
local seq = redis.call('HINCRBY', KEYS[2], 'seq', 1)
redis.call('XADD', KEYS[1], seq .. '-0', 'e', ARGV[1])
if ARGV[2] == '1' then redis.call('HSET', KEYS[2], 'closed', '1') end
return seq
`)
