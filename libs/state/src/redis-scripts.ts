/**
 * Compare-and-set for one position update. The money math happens in TypeScript
 * (exact decimals; Lua has only doubles); this script only commits the result,
 * and only if the id is new and nobody wrote the position since it was read.
 *
 * KEYS[1] position hash, KEYS[2] set of applied ids, KEYS[3] position index,
 * KEYS[4] (optional) fill log list.
 * ARGV[1] fill or payment id, ARGV[2] version that was read ("0" = no hash),
 * ARGV[3..] field/value pairs of the new state (including the new version).
 * Returns 1 applied, 0 duplicate id, -1 version conflict.
 */
export const CAS_APPLY_LUA = `
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 0 end
local v = redis.call('HGET', KEYS[1], 'version')
if v == false then v = '0' end
if v ~= ARGV[2] then return -1 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], KEYS[1])
if #KEYS >= 4 then redis.call('RPUSH', KEYS[4], ARGV[1]) end
return 1
`;

export const CAS_APPLY_COMMAND = 'perpetuaStateCasApply';

/** Raises a watermark only forwards, atomically. KEYS[1] the watermark, ARGV[1] the new value (integer ms). */
export const ADVANCE_MAX_LUA = `
local cur = redis.call('GET', KEYS[1])
if cur == false or tonumber(cur) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return 1
`;
