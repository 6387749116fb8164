-- Drives the shipped plugin the way the README sets it up (init.lua:
-- runtimepath + require("chainlens").setup()), then presses K on a name
-- and reads the hover float, and reads the inlay hints shown as virtual
-- text.  Writes what it saw as JSON to $CHAINLENS_NVIM_OUT.
local out_path = os.getenv("CHAINLENS_NVIM_OUT")
local path = os.getenv("CHAINLENS_FILE")
local report = {}

vim.cmd("edit " .. path)
local bufnr = vim.api.nvim_get_current_buf()
report.filetype = vim.bo[bufnr].filetype
report.syntax = vim.bo[bufnr].syntax

-- wait for the server to attach and publish diagnostics
vim.wait(60000, function()
  return #vim.lsp.buf_get_clients(bufnr) > 0 and #vim.diagnostic.get(bufnr) >= 0
    and vim.lsp.buf_get_clients(bufnr)[next(vim.lsp.buf_get_clients(bufnr))].initialized
end, 50)
report.K = vim.fn.maparg("K", "n", false, true).desc

-- the cursor on `w` of `z = w*x + b` (line 2), then K, as a user would
vim.api.nvim_win_set_cursor(0, { 2, 4 })
local before = #vim.api.nvim_list_wins()
vim.api.nvim_feedkeys("K", "x", false)
local float
vim.wait(60000, function()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      float = win
      return true
    end
  end
  return false
end, 50)
report.windows_before = before
if float then
  local buf = vim.api.nvim_win_get_buf(float)
  report.hover = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

-- inlay hints as virtual text (Neovim 0.7 has no native inlay hints)
local ns = vim.api.nvim_get_namespaces()["chainlens-inlay-hints"]
vim.wait(30000, function()
  return ns ~= nil and #vim.api.nvim_buf_get_extmarks(bufnr, ns, 0, -1, {}) > 0
end, 50)
report.hints = {}
if ns then
  for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(bufnr, ns, 0, -1, { details = true })) do
    table.insert(report.hints, { line = mark[2], text = mark[4].virt_text[1][1] })
  end
end

local f = io.open(out_path, "w")
f:write(vim.fn.json_encode(report))
f:close()
for _, client in pairs(vim.lsp.get_active_clients()) do
  client.stop()
end
vim.wait(2000, function() return #vim.lsp.get_active_clients() == 0 end, 50)
vim.cmd("qall!")
