-- wrk script: POST /api/reservations with a slot of its own for every request.
-- Each wrk thread books its own block of weeks (3,600 weeks apart: the server takes years up to
-- 2169), so no two requests collide (a thread that ran past its block would meet the next one's
-- bookings: 409s, counted below). By default, eight half-hour slots a weekday, an hour apart,
-- within the meeting room's hours and set-up times: 144,000 slots a thread. With DENSE set, every
-- half hour of every day, for a room opened day and night without set-up times: 1.2 million
-- slots a thread, over a minute of the fastest flood.
-- Needs the TOKEN environment variable (an administrator's bearer token).
local counter = 1
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  n = 0
  base = os.time({year = 2027, month = 1, day = 4, hour = 7, min = 0, sec = 0, isdst = false}) + (id - 1) * 86400 * 7 * 3600
  dense = os.getenv("DENSE") ~= nil
  token = os.getenv("TOKEN")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  local start
  if dense then
    start = base + n * 1800
  else
    local day = math.floor(n / 8)
    local week, weekday = math.floor(day / 5), day % 5
    start = base + (week * 7 + weekday) * 86400 + (n % 8) * 3600
  end
  n = n + 1
  local body = string.format(
    '{"resource":"meeting-room","start":"%s","end":"%s","attendees":4,"title":"Bench","organisation":"llv"}',
    os.date("!%Y-%m-%dT%H:%M:%SZ", start), os.date("!%Y-%m-%dT%H:%M:%SZ", start + 1800))
  return wrk.format(nil, "/api/reservations", nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx or errors: %d\n", summary.errors.status + summary.errors.connect +
                         summary.errors.read + summary.errors.write + summary.errors.timeout))
end
