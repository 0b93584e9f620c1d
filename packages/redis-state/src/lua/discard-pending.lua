-- Deletes the pending snapshot of a calculator.
-- KEYS[1] pending hash. ARGV[1] the version the caller read, or '' for any.
-- Replies 1 when deleted, 0 when absent or at another version (someone staged again meanwhile:
-- that newer snapshot is not the one the caller decided to discard).
local found = redis.call('HGET', KEYS[1], 'version')
if not found then return 0 end
if ARGV[1] ~= '' and found ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
