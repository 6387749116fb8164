;;; newcomer_drive.el --- a newcomer's first minutes in Emacs + eglot  -*- lexical-binding: t -*-
;; Loads the shipped clients/emacs/chainlens.el exactly as the README says
;; (no command set by hand: the PATH the test gives decides), opens a file,
;; starts chainlens (M-x eglot; M-x chainlens-python in a Python buffer),
;; waits for flymake diagnostics, hovers at "LINE:COL;..." and asks for the
;; code actions of each diagnostic.  Writes one JSON object to $OUT.
(require 'json)
(let* ((file (getenv "F")) (out (getenv "OUT")) (hovers (getenv "HOVERS")) (report '()))
  (package-initialize)  ; what an interactive Emacs does at start-up (markdown-mode's autoloads)
  (load (getenv "EL"))
  (find-file file)
  (push (cons 'mode (symbol-name major-mode)) report)
  (push (cons 'command chainlens-command) report)
  (condition-case err
      (if (derived-mode-p 'python-mode) (chainlens-python) (call-interactively #'eglot))
    (error (push (cons 'start-error (error-message-string err)) report)))
  (let ((deadline (+ (float-time) 60)))
    (while (and (not (eglot-current-server)) (< (float-time) deadline))
      (accept-process-output nil 0.1)))
  (let ((server (eglot-current-server)))
    (push (cons 'server (and server t)) report)
    (when server
      (let ((deadline (+ (float-time) 90)))
        (while (and (null (flymake-diagnostics)) (< (float-time) deadline))
          (accept-process-output nil 0.1)))
      (accept-process-output nil 2)  ; a later publish (health after parse) lands
      (push (cons 'diagnostics
                  (vconcat (mapcar (lambda (d) (format "%d: %s" (line-number-at-pos (flymake-diagnostic-beg d))
                                                       (flymake-diagnostic-text d)))
                                   (flymake-diagnostics))))
            report)
      (dolist (pos (split-string (or hovers "") ";" t))
        (let ((lc (split-string pos ":")))
          (goto-char (point-min))
          (forward-line (1- (string-to-number (car lc))))
          (forward-char (1- (string-to-number (cadr lc))))
          (let ((h (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams))))
            (push (cons (intern (concat "hover " pos))
                        (and h (plist-get (plist-get h :contents) :value))) report))))
      (let ((titles '()))
        (dolist (d (flymake-diagnostics))
          (let* ((beg (flymake-diagnostic-beg d)) (end (flymake-diagnostic-end d))
                 (lsp (cdr (assoc 'eglot-lsp-diag (eglot--diag-data d))))
                 (acts (jsonrpc-request server :textDocument/codeAction
                                        (list :textDocument (eglot--TextDocumentIdentifier)
                                              :range (list :start (eglot--pos-to-lsp-position beg)
                                                           :end (eglot--pos-to-lsp-position end))
                                              :context (list :diagnostics (vector lsp))))))
            (mapc (lambda (a) (push (format "%d: %s" (line-number-at-pos beg) (plist-get a :title)) titles))
                  acts)))
        (push (cons 'actions (vconcat (reverse titles))) report))
      (ignore-errors (eglot-shutdown server))))
  (with-temp-file out (insert (json-encode (reverse report)))))
;;; newcomer_drive.el ends here
