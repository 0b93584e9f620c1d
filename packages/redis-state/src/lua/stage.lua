-- Writes the pending snapshot of a calculator, only on top of the committed version before it.
-- KEYS[1] committed hash, KEYS[2] pending hash.
-- ARGV[1] version, ARGV[2] offsets JSON, ARGV[3] engine JSON, ARGV[4] digest of offsets+engine.
-- Replies 1, or the error `VERSION_CONFLICT <committed version | none>`.
local version = tonumber(ARGV[1])
local committed = redis.call('HGET', KEYS[1], 'version')
-- No committed snapshot counts as version 0, so the first stage must be version 1.
if (tonumber(committed) or 0) ~= version - 1 then
  return redis.error_reply('VERSION_CONFLICT ' .. (committed or 'none'))
end
-- A pending snapshot left by a failed batch is replaced whole, never merged field by field.
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], 'version', ARGV[1], 'offsets', ARGV[2], 'engine', ARGV[3], 'digest', ARGV[4])
return 1
