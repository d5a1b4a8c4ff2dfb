/**
 * The fencing check every fenced write starts with: refuses (returns true)
 * when the token is older than the scope's highest, else raises the highest to
 * it. An empty token is an unfenced write.
 */
const FENCE_LUA = `
local function stale(fenceKey, token)
  if token == '' then return false end
  local cur = tonumber(redis.call('GET', fenceKey) or '0')
  local t = tonumber(token)
  if t < cur then return true end
  if t > cur then redis.call('SET', fenceKey, token) end
  return false
end
`;

/**
 * Compare-and-set for one position update. The money math happens in TypeScript
 * (exact decimals; Lua has only doubles); this script only commits the result,
 * and only if the id is new, the fill is not one already booked under another
 * id (the content rule of fill-content-dedupe.ts, the same marks), and nobody
 * wrote the position since it was read.
 *
 * KEYS[1] position hash, KEYS[2] set of applied ids, KEYS[3] position index,
 * KEYS[4] fence, KEYS[5] content marks (hash), KEYS[6] content times (sorted set,
 * the bound), KEYS[7] (fills) fill log list, KEYS[8] (fills) fill id times (sorted
 * set by exchange time: the bound of KEYS[2] for fills; ids booked before it existed
 * are kept).
 * ARGV[1] fill or payment id, ARGV[2] version that was read ("0" = no hash),
 * ARGV[3] fencing token ('' = unfenced), ARGV[4] content key ('' = none),
 * ARGV[5] '1' when the id was made from the content, ARGV[6] exchange time (ms),
 * ARGV[7] how long marks are kept (ms behind the newest), ARGV[8] at most this many marks,
 * ARGV[9] how long fill ids are kept (ms behind the newest), ARGV[10] at most this many fill ids,
 * ARGV[11] at most this many entries in the fill log,
 * ARGV[12..] field/value pairs of the new state (including the new version).
 * Returns 1 applied, 0 duplicate id, 3 duplicate by content (its id now known),
 * -1 version conflict, -2 fenced (stale token).
 */
export const CAS_APPLY_LUA = `${FENCE_LUA}
-- A bounded record (fill content marks, fill ids) and its sorted set of times: members older than windowMs behind the
-- newest, or past max, are forgotten from both (drop removes them from the record). At most 100 a call: each fill
-- adds at most one member to each, so the bound holds and no call runs long.
local function forget(timesKey, windowMs, max, drop)
  local newest = redis.call('ZREVRANGE', timesKey, 0, 0, 'WITHSCORES')
  local horizon = string.format('%.0f', tonumber(newest[2]) - tonumber(windowMs))
  local gone = redis.call('ZRANGEBYSCORE', timesKey, '-inf', '(' .. horizon, 'LIMIT', 0, 100)
  local over = redis.call('ZCARD', timesKey) - #gone - tonumber(max)
  if over > 0 then
    local first = redis.call('ZRANGE', timesKey, #gone, #gone + math.min(over, 100) - 1)
    for _, m in ipairs(first) do table.insert(gone, m) end
  end
  if #gone > 0 then
    drop(gone)
    redis.call('ZREM', timesKey, unpack(gone))
  end
end
if stale(KEYS[4], ARGV[3]) then return -2 end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 0 end
local content = ARGV[4]
local nextMark = false
if content ~= '' then
  local mark = redis.call('HGET', KEYS[5], content)
  local dup = false
  if ARGV[5] == '1' then
    if mark then dup = true else nextMark = 's' end
  elseif mark == 's' then
    dup = true
    nextMark = 'c:' .. ARGV[1]
  elseif mark == 'c:' .. ARGV[1] then
    dup = true
  else
    nextMark = mark or 'b'
  end
  if dup then
    redis.call('SADD', KEYS[2], ARGV[1])
    if #KEYS >= 8 then redis.call('ZADD', KEYS[8], 'NX', ARGV[6], ARGV[1]) end
    if nextMark then redis.call('HSET', KEYS[5], content, nextMark) end
    return 3
  end
end
local v = redis.call('HGET', KEYS[1], 'version')
if v == false then v = '0' end
if v ~= ARGV[2] then return -1 end
redis.call('HSET', KEYS[1], unpack(ARGV, 12))
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], KEYS[1])
if nextMark then
  redis.call('HSET', KEYS[5], content, nextMark)
  redis.call('ZADD', KEYS[6], 'NX', ARGV[6], content)
  forget(KEYS[6], ARGV[7], ARGV[8], function(gone) redis.call('HDEL', KEYS[5], unpack(gone)) end)
end
if #KEYS >= 8 then
  redis.call('ZADD', KEYS[8], 'NX', ARGV[6], ARGV[1])
  forget(KEYS[8], ARGV[9], ARGV[10], function(gone) redis.call('SREM', KEYS[2], unpack(gone)) end)
end
if #KEYS >= 7 then
  redis.call('RPUSH', KEYS[7], ARGV[1])
  redis.call('LTRIM', KEYS[7], -tonumber(ARGV[11]), -1)
end
return 1
`;

export const CAS_APPLY_COMMAND = 'perpetuaStateCasApply';

/**
 * Raises a watermark only forwards, atomically. KEYS[1] the watermark, KEYS[2] fence,
 * ARGV[1] the new value (integer ms), ARGV[2] fencing token. Returns 1, or -2 fenced.
 */
export const ADVANCE_MAX_LUA = `${FENCE_LUA}
if stale(KEYS[2], ARGV[2]) then return -2 end
local cur = redis.call('GET', KEYS[1])
if cur == false or tonumber(cur) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return 1
`;

/**
 * A fenced SET (or DEL for an empty value). KEYS[1] the key, KEYS[2] fence,
 * ARGV[1] the value ('' deletes), ARGV[2] fencing token. Returns 1, or -2 fenced.
 */
export const FENCED_SET_LUA = `${FENCE_LUA}
if stale(KEYS[2], ARGV[2]) then return -2 end
if ARGV[1] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[1]) end
return 1
`;
