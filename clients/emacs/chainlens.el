;;; chainlens.el --- chainlens language server through eglot -*- lexical-binding: t -*-

;; Add to your init file:
;;   (load "/path/to/clients/emacs/chainlens.el")
;; then `M-x eglot' in a .chain, Python, Markdown or LaTeX buffer.

;;; Code:

(require 'eglot)

(define-derived-mode chainlens-mode prog-mode "chain"
  "Major mode for chainlens .chain programs."
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+\\s-*"))

(add-to-list 'auto-mode-alist '("\\.chain\\'" . chainlens-mode))

(defgroup chainlens nil "chainlens derivative assistant." :group 'tools)

(defcustom chainlens-command '("chainlens" "lsp")
  "Command that starts the chainlens language server."
  :type '(repeat string))

(add-to-list 'eglot-server-programs
             `((chainlens-mode python-mode python-ts-mode markdown-mode latex-mode)
               . ,chainlens-command))

;; Settings reach the server through workspace/configuration, e.g.
;;   (setq-default eglot-workspace-configuration
;;                 '(:chainlens (:notation "unicode" :thresholds (:vanishing 1e-6))))

(provide 'chainlens)
;;; chainlens.el ends here
