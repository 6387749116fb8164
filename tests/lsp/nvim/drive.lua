-- Drives chainlens from a real Neovim (0.7+, headless) the way a user's
-- editor would: start the server, open files, wait for diagnostics, hover,
-- ask for code actions.  Everything observed is written as JSON to
-- $CHAINLENS_NVIM_OUT for the pytest side to check.
local out_path = os.getenv("CHAINLENS_NVIM_OUT")
local python = os.getenv("CHAINLENS_PYTHON")
local files = vim.split(os.getenv("CHAINLENS_FILES"), ",")
local report = { files = {} }

-- Keep every publishDiagnostics as the server sent it (vim.diagnostic
-- reshapes them), then let Neovim's own handler show them.
local published = {}
local default_publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
local function on_publish(err, result, ctx, config)
  published[result.uri] = result.diagnostics
  return default_publish(err, result, ctx, config)
end

local client_id = vim.lsp.start_client({
  handlers = { ["textDocument/publishDiagnostics"] = on_publish },
  name = "chainlens",
  cmd = { python, "-m", "chainlens.cli.main", "lsp" },
  root_dir = vim.fn.getcwd(),
  init_options = { debounceMs = 20 },
})
report.client_id = client_id

local function wait_diagnostics(uri, want_code)
  vim.wait(60000, function()
    local got = published[uri]
    if got == nil then
      return false
    end
    if want_code == nil then
      return true
    end
    for _, d in ipairs(got) do
      if d.code == want_code then
        return true
      end
    end
    return false
  end, 50)
  return published[uri] or {}
end

local function request(bufnr, method, params)
  local responses = vim.lsp.buf_request_sync(bufnr, method, params, 60000)
  if not responses then
    return nil
  end
  for _, r in pairs(responses) do
    if r.error then
      return { error = r.error }
    end
    return r.result
  end
end

for _, spec in ipairs(files) do
  -- spec: path|line|character|diagnostic code to wait for
  local path, line, character, code = unpack(vim.split(spec, "|"))
  vim.cmd("edit " .. path)
  local bufnr = vim.api.nvim_get_current_buf()
  if path:match("%.chain$") then
    vim.bo[bufnr].filetype = "chain"
  end
  vim.lsp.buf_attach_client(bufnr, client_id)
  local doc = { uri = vim.uri_from_bufnr(bufnr) }
  local diagnostics = wait_diagnostics(doc.uri, code ~= "" and code or nil)
  local shown = #vim.diagnostic.get(bufnr)
  local position = { line = tonumber(line), character = tonumber(character) }
  local hover = request(bufnr, "textDocument/hover", { textDocument = doc, position = position })
  local at_diag = {}
  for _, d in ipairs(diagnostics) do
    if code ~= "" and d.code == code then
      table.insert(at_diag, d)
    end
  end
  local range = { start = position, ["end"] = position }
  if #at_diag > 0 then
    range = at_diag[1].range
  end
  local actions = request(bufnr, "textDocument/codeAction", {
    textDocument = doc, range = range, context = { diagnostics = at_diag },
  })
  -- apply the first action's edit, as choosing it in the menu would
  local applied = nil
  if actions and actions[1] and actions[1].edit then
    vim.lsp.util.apply_workspace_edit(actions[1].edit, "utf-16")
    applied = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
  end
  table.insert(report.files, {
    path = path, uri = doc.uri, diagnostics = diagnostics, shown = shown, hover = hover,
    actions = actions, applied = applied,
  })
end

local f = io.open(out_path, "w")
f:write(vim.fn.json_encode(report))
f:close()
vim.lsp.stop_client(client_id)
vim.wait(2000, function() return vim.lsp.client_is_stopped(client_id) end, 50)
vim.cmd("qall!")
