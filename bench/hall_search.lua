-- wrk script: the hall with a search, cycling through the 20 words and 7 filter sets that
-- `server bench-search` times (140 distinct URLs), so the load is not one cached page.
local words = {
  "数据分析", "小程序", "Rust", "react", "后端", "Python 爬虫", "Vue 官网", "Kubernetes", "机器学习",
  "Docker 部署", "接口", "flutter app", "安全", "Excel", "区块链", "admin dashboard", "Go 会员", "嵌入式",
  "测试", "UI 设计",
}
local filters = {
  "", "&tag=python&tag=backend", "&dmin=2&dmax=4", "&rmin=1000&rmax=10000", "&due=30", "&kind=company",
  "&sort=reward",
}

local function encode(text)
  return (text:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local paths = {}
for _, filter in ipairs(filters) do
  for _, word in ipairs(words) do
    paths[#paths + 1] = "/?q=" .. encode(word) .. filter
  end
end

local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
