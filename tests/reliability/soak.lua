-- The request mix of tests/reliability/soak.mjs for wrk: reads of the member roll (API and page),
-- a campaign and a member, and writes of new members and contributions (a fifth of the requests).
-- Every acknowledged write is appended to $SOAK_DIR/acked-<thread>.txt (an email or a note), so
-- that the script can look each one up in the database afterwards.
local token = os.getenv("SOAK_TOKEN")
local branch = os.getenv("SOAK_BRANCH")
local campaign = os.getenv("SOAK_CAMPAIGN")
local member = os.getenv("SOAK_MEMBER")
local day = os.getenv("SOAK_DAY")
local out_dir = os.getenv("SOAK_DIR")

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  statuses = {}
  acked = io.open(out_dir .. "/acked-" .. id .. ".txt", "w")
  acked:setvbuf("line") -- wrk never closes a thread's files: each line must reach the file as it is written
  math.randomseed(id)
end

local function json_request(method, path, body)
  return wrk.format(method, path, {
    ["Authorization"] = "Bearer " .. token,
    ["Accept"] = "application/json",
    ["Content-Type"] = "application/json",
  }, body)
end

function request()
  sent = sent + 1
  local r = math.random()
  if r < 0.35 then
    return json_request("GET", "/api/v1/orgs/" .. branch .. "/members?limit=50")
  elseif r < 0.55 then
    return wrk.format("GET", "/orgs/" .. branch .. "/members", { ["Authorization"] = "Bearer " .. token })
  elseif r < 0.70 then
    return json_request("GET", "/api/v1/campaigns/" .. campaign)
  elseif r < 0.80 then
    return json_request("GET", "/api/v1/members/" .. member)
  elseif r < 0.90 then
    local email = "t" .. id .. "n" .. sent .. "@soak.test"
    return json_request("POST", "/api/v1/orgs/" .. branch .. "/members",
      '{"family_name":"Kiểm","middle_name":"Tải","given_name":"An","sex":"female","birth_date":"2001-03-04","email":"' .. email .. '"}')
  else
    local note = "soak-t" .. id .. "n" .. sent
    return json_request("POST", "/api/v1/campaigns/" .. campaign .. "/contributions",
      '{"round_no":"1","kind":"money","amount_vnd":"10000","method":"cash","contributor_kind":"anonymous","on_date":"' ..
      day .. '","note":"' .. note .. '"}')
  end
end

-- A write's answer names what it wrote: a member's email, a contribution's note.
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    local key = body:match('"([^"]*@soak%.test)"') or body:match('"(soak%-t%d+n%d+)"')
    if key then acked:write(key, "\n") end
  end
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(total) do table.insert(parts, '"' .. status .. '":' .. n) end
  io.write(string.format('SOAK {"requests":%d,"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},' ..
    '"p50_ms":%.2f,"p99_ms":%.2f,"statuses":{%s}}\n',
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, table.concat(parts, ",")))
end
