-- chainlens for Neovim (0.7+).  Put this file on your runtimepath
-- (e.g. ~/.config/nvim/lua/chainlens.lua) and call
--   require("chainlens").setup()
-- .chain files get their own filetype; Python, Markdown and TeX buffers
-- attach too.  Settings go to the server as initializationOptions and
-- through workspace/configuration.
local M = {}

M.defaults = {
  cmd = { "chainlens", "lsp" },
  filetypes = { "chain", "python", "markdown", "tex" },
  settings = {
    chainlens = {
      thresholds = { vanishing = 1e-6, exploding = 1e6 },
      notation = "unicode",
      defaultVariable = "x",
      debounceMs = 150,
    },
  },
}

function M.config(opts)
  opts = vim.tbl_deep_extend("force", M.defaults, opts or {})
  return {
    name = "chainlens",
    cmd = opts.cmd,
    root_dir = vim.fn.getcwd(),
    settings = opts.settings,
    init_options = opts.settings.chainlens,
  }
end

function M.setup(opts)
  local config = M.config(opts)
  local filetypes = (opts and opts.filetypes) or M.defaults.filetypes
  vim.cmd([[autocmd BufRead,BufNewFile *.chain setfiletype chain]])
  local client_id
  local group = vim.api.nvim_create_augroup("chainlens", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = filetypes,
    callback = function(args)
      if vim.lsp.start then -- Neovim 0.8+
        vim.lsp.start(config, { bufnr = args.buf })
        return
      end
      client_id = client_id or vim.lsp.start_client(config)
      vim.lsp.buf_attach_client(args.buf, client_id)
    end,
  })
end

return M
