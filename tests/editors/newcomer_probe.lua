-- newcomer_probe.lua: a newcomer's first minutes in Neovim (0.7+), set up as
-- the README says.  Waits for chainlens's diagnostics, hovers at $HOVERS
-- ("LINE:COL;..."), asks for each diagnostic's code actions as
-- vim.lsp.buf.code_action() does (the line's LSP diagnostics as context),
-- applies action number $APPLY (if set) and writes the buffer to $SAVEAS.
-- Writes its report as JSON to $OUT.
local get = vim.lsp.get_clients or vim.lsp.get_active_clients
local report = { diagnostics = {}, hovers = {}, actions = {} }
vim.wait(120000, function() return #get({ bufnr = 0 }) > 0 and #vim.diagnostic.get(0) > 0 end, 200)
vim.wait(2000) -- a later publish (health after parse) lands
report.clients = #get({ bufnr = 0 })
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(report.diagnostics, string.format("%d:%d: %s", d.lnum + 1, d.col + 1, d.message))
end
for pos in string.gmatch(os.getenv("HOVERS") or "", "[^;]+") do
  local l, c = pos:match("(%d+):(%d+)")
  vim.api.nvim_win_set_cursor(0, { tonumber(l), tonumber(c) - 1 })
  local res = vim.lsp.buf_request_sync(0, "textDocument/hover", vim.lsp.util.make_position_params(), 60000)
  for _, r in pairs(res or {}) do
    if r.result then report.hovers[pos] = r.result.contents.value end
  end
end
local all = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local params = vim.lsp.util.make_range_params()
  params.range = { start = { line = d.lnum, character = d.col },
                   ["end"] = { line = d.end_lnum, character = d.end_col } }
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(0, d.lnum) }
  local res = vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, 60000)
  for _, r in pairs(res or {}) do
    for _, a in ipairs(r.result or {}) do
      table.insert(report.actions, (d.lnum + 1) .. ": " .. a.title)
      table.insert(all, a)
    end
  end
end
local k = tonumber(os.getenv("APPLY") or "0")
if k > 0 and all[k] then
  vim.lsp.util.apply_workspace_edit(all[k].edit, "utf-16")
  vim.cmd("silent w! " .. os.getenv("SAVEAS"))
  report.applied = all[k].title
end
local f = io.open(os.getenv("OUT"), "w")
f:write(vim.fn.json_encode(report))
f:close()
vim.cmd("qa!")
