" Vim syntax file for chainlens .chain programs (Neovim and Vim).
if exists("b:current_syntax")
  finish
endif

syntax keyword chainKeyword input param repeat in
syntax match chainDirective "@\(at\|wrt\|output\)\>"
syntax match chainComment "#.*$" contains=@Spell
syntax match chainNumber "\<\d\+\(\.\d*\)\=\([eE][-+]\=\d\+\)\=\>"
syntax match chainLatex "\\[A-Za-z]\+"
syntax match chainFunction "\<\([A-Za-z_][A-Za-z0-9_]*\.\)*[A-Za-z_][A-Za-z0-9_]*\ze\s*("
syntax match chainAssigned "^\s*\zs[A-Za-z_][A-Za-z0-9_{}]*\ze\s*=[^=]"
syntax match chainOperator "[-+*/^=|]\|\*\*\|\.\."
syntax keyword chainConstant pi e

highlight default link chainKeyword Keyword
highlight default link chainDirective PreProc
highlight default link chainComment Comment
highlight default link chainNumber Number
highlight default link chainLatex Special
highlight default link chainFunction Function
highlight default link chainAssigned Identifier
highlight default link chainOperator Operator
highlight default link chainConstant Constant

let b:current_syntax = "chain"
