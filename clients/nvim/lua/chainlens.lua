-- chainlens for Neovim 0.7+.
--
-- Install: put clients/nvim on your runtimepath and call setup(), e.g. in init.lua
--   vim.opt.runtimepath:append("/path/to/chainlens/clients/nvim")
--   require("chainlens").setup()
-- (lazy.nvim / packer: point a local plugin at clients/nvim.)  That gives
-- * the `chain` filetype for *.chain files, with syntax highlighting;
-- * chainlens attached to .chain, Markdown and TeX buffers, and to Python
--   buffers as an ADDITIONAL server: your own Python server keeps its place;
-- * `K` for the hover in .chain buffers (and in others where `K` is not mapped
--   to something else already), `gd` go to definition in .chain buffers;
-- * inlay hints (|∂L/∂z| per assignment) as virtual text: Neovim 0.10+ shows
--   them natively, 0.7-0.9 through end-of-line virtual text kept up to date here.
-- Settings go to the server as initializationOptions and workspace/configuration.
local M = {}

-- `chainlens` on PATH, else this checkout's .venv/bin/chainlens (`make demo`
-- makes it): an editor started from a desktop has no activated venv.
local function default_cmd()
  if vim.fn.executable("chainlens") == 1 then
    return { "chainlens", "lsp" }
  end
  local here = debug.getinfo(1, "S").source:sub(2) -- <root>/clients/nvim/lua/chainlens.lua
  local venv = vim.fn.fnamemodify(here, ":p:h:h:h:h") .. "/.venv/bin/chainlens"
  if vim.fn.executable(venv) == 1 then
    return { venv, "lsp" }
  end
  return { "chainlens", "lsp" }
end

M.defaults = {
  cmd = default_cmd(),
  -- plaintex: Neovim's filetype for a .tex file without \documentclass (a chapter)
  filetypes = { "chain", "python", "markdown", "tex", "plaintex" },
  keys = true,
  inlay_hints = true,
  settings = {
    chainlens = {
      thresholds = { vanishing = 1e-6, exploding = 1e6 },
      notation = "unicode",
      defaultVariable = "x",
      debounceMs = 150,
    },
  },
}

local hints_ns = vim.api.nvim_create_namespace("chainlens-inlay-hints")

-- Inlay hints as end-of-line virtual text (Neovim without vim.lsp.inlay_hint).
local function refresh_hints(client, bufnr)
  if not vim.api.nvim_buf_is_loaded(bufnr) then
    return
  end
  local last = vim.api.nvim_buf_line_count(bufnr)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = { start = { line = 0, character = 0 }, ["end"] = { line = last, character = 0 } },
  }
  client.request("textDocument/inlayHint", params, function(err, result)
    if err or not vim.api.nvim_buf_is_loaded(bufnr) then
      return
    end
    vim.api.nvim_buf_clear_namespace(bufnr, hints_ns, 0, -1)
    for _, hint in ipairs(result or {}) do
      local label = hint.label
      if type(label) == "table" then
        local parts = {}
        for _, part in ipairs(label) do
          table.insert(parts, part.value)
        end
        label = table.concat(parts)
      end
      local line = hint.position.line
      if line < vim.api.nvim_buf_line_count(bufnr) then
        vim.api.nvim_buf_set_extmark(bufnr, hints_ns, line, 0, {
          virt_text = { { "  " .. label, "Comment" } },
          virt_text_pos = "eol",
        })
      end
    end
  end, bufnr)
end

M.refresh_hints = refresh_hints

local function map_keys(bufnr, filetype)
  local function free(lhs)
    -- never take a key another plugin or server mapped in this buffer
    return filetype == "chain" or vim.fn.maparg(lhs, "n") == ""
  end
  if free("K") then
    vim.keymap.set("n", "K", vim.lsp.buf.hover, { buffer = bufnr, desc = "chainlens hover" })
  end
  if filetype == "chain" then
    vim.keymap.set("n", "gd", vim.lsp.buf.definition, { buffer = bufnr })
    vim.keymap.set("n", "gr", vim.lsp.buf.references, { buffer = bufnr })
  end
end

function M.on_attach(client, bufnr, opts)
  opts = opts or M.defaults
  local filetype = vim.bo[bufnr].filetype
  if opts.keys then
    map_keys(bufnr, filetype)
  end
  if not opts.inlay_hints or filetype ~= "chain" then
    return
  end
  if vim.lsp.inlay_hint and vim.lsp.inlay_hint.enable then -- Neovim 0.10+
    pcall(vim.lsp.inlay_hint.enable, true, { bufnr = bufnr })
    return
  end
  refresh_hints(client, bufnr)
  local group = vim.api.nvim_create_augroup("chainlens-hints-" .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ "InsertLeave", "BufWritePost", "CursorHold" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      refresh_hints(client, bufnr)
    end,
  })
end

function M.config(opts)
  opts = vim.tbl_deep_extend("force", M.defaults, opts or {})
  return {
    name = "chainlens",
    cmd = opts.cmd,
    root_dir = vim.fn.getcwd(),
    settings = opts.settings,
    init_options = opts.settings.chainlens,
    on_attach = function(client, bufnr)
      M.on_attach(client, bufnr, opts)
    end,
  }, opts
end

function M.setup(user)
  local config, opts = M.config(user)
  vim.cmd([[autocmd BufRead,BufNewFile *.chain setfiletype chain]])
  local client_id
  local group = vim.api.nvim_create_augroup("chainlens", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      if vim.lsp.start then -- Neovim 0.8+: one client per root, reused
        vim.lsp.start(config, { bufnr = args.buf })
        return
      end
      if client_id == nil or vim.lsp.client_is_stopped(client_id) then
        client_id = vim.lsp.start_client(config)
      end
      if client_id then -- nil: Neovim has said why (cmd not found)
        vim.lsp.buf_attach_client(args.buf, client_id)
      end
    end,
  })
end

return M
