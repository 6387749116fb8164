;;; chainlens.el --- chainlens language server through eglot -*- lexical-binding: t -*-

;; Emacs 29+ ships eglot.  Emacs 28 needs it installed first, and hovers read
;; best with markdown-mode (eglot renders Markdown with it):
;;   Debian/Ubuntu:  sudo apt-get install elpa-eglot elpa-markdown-mode
;;   or in Emacs:    M-x package-install RET eglot RET  (and markdown-mode)
;;
;; Add to your init file:
;;   (load "/path/to/chainlens/clients/emacs/chainlens.el")
;; then `M-x eglot' in a .chain buffer (or `chainlens-enable-eglot' below to
;; start it on every .chain file).  Markdown and LaTeX buffers use chainlens
;; with `M-x eglot' too.  Python buffers keep your own Python server: use
;; `M-x chainlens-python' to ask chainlens about a Python buffer (eglot runs
;; one server per buffer, so chainlens never takes python-mode's place).

;;; Code:

(require 'eglot)

(defgroup chainlens nil "chainlens derivative assistant." :group 'tools)

(defconst chainlens--checkout-server
  (and load-file-name
       (expand-file-name "../../.venv/bin/chainlens" (file-name-directory load-file-name)))
  "This checkout's chainlens (`make demo' makes it), for an Emacs started
from a desktop, whose PATH has no activated venv.")

(defun chainlens--default-command ()
  "`chainlens' on PATH, else this checkout's .venv/bin/chainlens, else
plain `chainlens' (eglot then says it cannot find it)."
  (cond ((executable-find "chainlens") '("chainlens" "lsp"))
        ((and chainlens--checkout-server (file-executable-p chainlens--checkout-server))
         (list chainlens--checkout-server "lsp"))
        (t '("chainlens" "lsp"))))

(defcustom chainlens-command (chainlens--default-command)
  "Command that starts the chainlens language server."
  :type '(repeat string))

(defvar chainlens-font-lock-keywords
  `(("#.*$" . font-lock-comment-face)
    (,(regexp-opt '("input" "param" "repeat" "in") 'symbols) . font-lock-keyword-face)
    ("@\\(?:at\\|wrt\\|output\\)\\_>" . font-lock-preprocessor-face)
    ("\\\\[A-Za-z]+" . font-lock-builtin-face)
    ("\\_<\\([A-Za-z_][A-Za-z0-9_.]*\\)(" 1 font-lock-function-name-face)
    ("^\\s-*\\([A-Za-z_][A-Za-z0-9_{}]*\\)\\s-*=[^=]" 1 font-lock-variable-name-face))
  "Highlighting of .chain programs.")

(define-derived-mode chainlens-mode prog-mode "chain"
  "Major mode for chainlens .chain programs."
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+\\s-*")
  (setq-local font-lock-defaults '(chainlens-font-lock-keywords t)))

(add-to-list 'auto-mode-alist '("\\.chain\\'" . chainlens-mode))

;; .chain, Markdown and LaTeX buffers: chainlens is their server.  Python
;; modes are left to the user's own server (pylsp, pyright, ...).
(add-to-list 'eglot-server-programs
             `((chainlens-mode markdown-mode gfm-mode latex-mode LaTeX-mode)
               . ,chainlens-command))

(defun chainlens-python ()
  "Start chainlens for this Python buffer (instead of the Python server
eglot would pick), for its derivative hovers and gradient-health checks."
  (interactive)
  (let ((eglot-server-programs
         (cons `((python-mode python-ts-mode) . ,chainlens-command) eglot-server-programs)))
    (call-interactively #'eglot)))

(defun chainlens-enable-eglot ()
  "Start eglot (chainlens) in every .chain buffer."
  (add-hook 'chainlens-mode-hook #'eglot-ensure))

;; Settings reach the server through workspace/configuration, e.g.
;;   (setq-default eglot-workspace-configuration
;;                 '(:chainlens (:notation "unicode" :thresholds (:vanishing 1e-6))))

(provide 'chainlens)
;;; chainlens.el ends here
