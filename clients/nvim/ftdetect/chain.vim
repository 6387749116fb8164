" chainlens: *.chain files are the `chain` filetype.
autocmd BufRead,BufNewFile *.chain setfiletype chain
