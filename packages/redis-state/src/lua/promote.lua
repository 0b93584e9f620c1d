-- Makes the pending snapshot the committed one and rewrites the read projection, atomically.
-- KEYS[1] committed hash, KEYS[2] pending hash, KEYS[3] indices set, KEYS[4] symbols set,
-- KEYS[5] fx-pairs set, KEYS[6..] one projection hash per entry below, in the same order.
-- ARGV[1] version, ARGV[2] digest the projection was built from,
-- ARGV[3..5] key bases of the index, symbol and fx families,
-- ARGV[6..8] number of index, symbol and fx entries,
-- then per entry: member, 2n, and n field/value pairs.
-- Replies 1, or an error: `PENDING_MISMATCH <pending version | none>`,
-- `PENDING_CHANGED <pending version>` or `VERSION_CONFLICT <committed version | none>`.
local version = ARGV[1]
local pending = redis.call('HGET', KEYS[2], 'version')
if pending ~= version then
  return redis.error_reply('PENDING_MISMATCH ' .. (pending or 'none'))
end
-- The projection was built from a read of pending; refuse if pending was restaged since.
if redis.call('HGET', KEYS[2], 'digest') ~= ARGV[2] then
  return redis.error_reply('PENDING_CHANGED ' .. pending)
end
local committed = redis.call('HGET', KEYS[1], 'version')
if (tonumber(committed) or 0) ~= tonumber(version) - 1 then
  return redis.error_reply('VERSION_CONFLICT ' .. (committed or 'none'))
end
redis.call('RENAME', KEYS[2], KEYS[1])

-- unpack() pushes its results on the Lua C stack (about 8000 slots): add set members in chunks.
local function add_members(set, members)
  for first = 1, #members, 1000 do
    redis.call('SADD', set, unpack(members, first, math.min(first + 999, #members)))
  end
end

local next_arg = 9
local next_key = 6
for family = 1, 3 do
  local set = KEYS[2 + family]
  local base = ARGV[2 + family]
  local count = tonumber(ARGV[5 + family])
  local members = {}
  local keep = {}
  for _ = 1, count do
    local member = ARGV[next_arg]
    local width = tonumber(ARGV[next_arg + 1])
    local key = KEYS[next_key]
    next_arg = next_arg + 2
    next_key = next_key + 1
    redis.call('DEL', key)
    if width > 0 then
      redis.call('HSET', key, unpack(ARGV, next_arg, next_arg + width - 1))
    end
    next_arg = next_arg + width
    members[#members + 1] = member
    keep[member] = true
  end
  -- Entries the engine no longer holds (an index retired, a constituent deleted) lose their key.
  -- Those names are not in KEYS, but they share the calculator's hash tag and so the slot.
  for _, old in ipairs(redis.call('SMEMBERS', set)) do
    if not keep[old] then redis.call('DEL', base .. old) end
  end
  redis.call('DEL', set)
  if #members > 0 then add_members(set, members) end
end
return 1
