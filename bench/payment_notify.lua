-- wrk script for bench/payment_notify.py: POST the prepared notification bodies in order.
local bodies = {}
local i = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
end

function request()
  i = i + 1
  if i > #bodies then i = 1 end
  return wrk.format("POST", nil, { ["Content-Type"] = "application/x-www-form-urlencoded" }, bodies[i])
end

-- Pause between one sender's notifications (ms): 0 saturates the server (its capacity); a pause
-- models senders at a steady rate, where the p99 latency is what a gateway sees.
local pause = 0

local base_init = init
function init(args)
  base_init(args)
  pause = tonumber(args[2] or "0")
  i = tonumber(args[3] or "0") % #bodies
end

function delay()
  return pause
end
