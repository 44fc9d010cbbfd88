package mathtext

// class is an atom's role in TeX's spacing rules, simplified: it decides
// the spaces around an atom in a row.
type class uint8

const (
	ord    class = iota // letters, digits, most symbols
	bin                 // binary operators: + − × ⋅ (unary at the start of a row)
	rel                 // relations and arrows: = ≤ → ∈
	punct               // , ;
	open                // ( [ ⟨
	closer              // ) ] ⟩
	fn                  // function names: sin, log, lim
	large               // big operators: ∑ ∫ ∏
	inner               // \left…\right groups, fractions: ord for spacing
)

// sym is one symbol command: what it prints and its class.
type sym struct {
	s string
	c class
}

// symbols maps a command's name (without the backslash) to its symbol.
var symbols = map[string]sym{
	// Greek, lower case
	"alpha": {"α", ord}, "beta": {"β", ord}, "gamma": {"γ", ord}, "delta": {"δ", ord},
	"epsilon": {"ϵ", ord}, "varepsilon": {"ε", ord}, "zeta": {"ζ", ord}, "eta": {"η", ord},
	"theta": {"θ", ord}, "vartheta": {"ϑ", ord}, "iota": {"ι", ord}, "kappa": {"κ", ord},
	"lambda": {"λ", ord}, "mu": {"μ", ord}, "nu": {"ν", ord}, "xi": {"ξ", ord},
	"omicron": {"ο", ord}, "pi": {"π", ord}, "varpi": {"ϖ", ord}, "rho": {"ρ", ord},
	"varrho": {"ϱ", ord}, "sigma": {"σ", ord}, "varsigma": {"ς", ord}, "tau": {"τ", ord},
	"upsilon": {"υ", ord}, "phi": {"ϕ", ord}, "varphi": {"φ", ord}, "chi": {"χ", ord},
	"psi": {"ψ", ord}, "omega": {"ω", ord},
	// Greek, upper case
	"Gamma": {"Γ", ord}, "Delta": {"Δ", ord}, "Theta": {"Θ", ord}, "Lambda": {"Λ", ord},
	"Xi": {"Ξ", ord}, "Pi": {"Π", ord}, "Sigma": {"Σ", ord}, "Upsilon": {"Υ", ord},
	"Phi": {"Φ", ord}, "Psi": {"Ψ", ord}, "Omega": {"Ω", ord},

	// Binary operators
	"pm": {"±", bin}, "mp": {"∓", bin}, "times": {"×", bin}, "div": {"÷", bin},
	"cdot": {"⋅", bin}, "ast": {"∗", bin}, "star": {"⋆", bin}, "circ": {"∘", bin},
	"bullet": {"∙", bin}, "oplus": {"⊕", bin}, "ominus": {"⊖", bin}, "otimes": {"⊗", bin},
	"oslash": {"⊘", bin}, "odot": {"⊙", bin}, "cup": {"∪", bin}, "cap": {"∩", bin},
	"sqcup": {"⊔", bin}, "sqcap": {"⊓", bin}, "vee": {"∨", bin}, "wedge": {"∧", bin},
	"lor": {"∨", bin}, "land": {"∧", bin}, "setminus": {"∖", bin}, "wr": {"≀", bin},
	"dagger": {"†", bin}, "ddagger": {"‡", bin}, "amalg": {"⨿", bin}, "uplus": {"⊎", bin},
	"triangleleft": {"◁", bin}, "triangleright": {"▷", bin}, "cdotp": {"⋅", bin},

	// Relations
	"leq": {"≤", rel}, "le": {"≤", rel}, "geq": {"≥", rel}, "ge": {"≥", rel},
	"leqslant": {"⩽", rel}, "geqslant": {"⩾", rel}, "neq": {"≠", rel}, "ne": {"≠", rel},
	"equiv": {"≡", rel}, "approx": {"≈", rel}, "sim": {"∼", rel}, "simeq": {"≃", rel},
	"cong": {"≅", rel}, "propto": {"∝", rel}, "ll": {"≪", rel}, "gg": {"≫", rel},
	"subset": {"⊂", rel}, "supset": {"⊃", rel}, "subseteq": {"⊆", rel}, "supseteq": {"⊇", rel},
	"subsetneq": {"⊊", rel}, "supsetneq": {"⊋", rel}, "sqsubseteq": {"⊑", rel}, "sqsupseteq": {"⊒", rel},
	"in": {"∈", rel}, "notin": {"∉", rel}, "ni": {"∋", rel}, "owns": {"∋", rel},
	"perp": {"⊥", rel}, "parallel": {"∥", rel}, "mid": {"∣", rel}, "nmid": {"∤", rel},
	"models": {"⊨", rel}, "vdash": {"⊢", rel}, "dashv": {"⊣", rel}, "prec": {"≺", rel},
	"succ": {"≻", rel}, "preceq": {"⪯", rel}, "succeq": {"⪰", rel}, "doteq": {"≐", rel},
	"asymp": {"≍", rel}, "coloneqq": {"≔", rel}, "coloneq": {"≔", rel}, "triangleq": {"≜", rel},
	"lesssim": {"≲", rel}, "gtrsim": {"≳", rel}, "nleq": {"≰", rel}, "ngeq": {"≱", rel},
	"approxeq": {"≊", rel}, "bowtie": {"⋈", rel}, "smile": {"⌣", rel}, "frown": {"⌢", rel},
	"lt": {"<", rel}, "gt": {">", rel}, "nsim": {"≁", rel}, "ncong": {"≇", rel},

	// Arrows
	"to": {"→", rel}, "rightarrow": {"→", rel}, "leftarrow": {"←", rel}, "gets": {"←", rel},
	"leftrightarrow": {"↔", rel}, "Rightarrow": {"⇒", rel}, "Leftarrow": {"⇐", rel},
	"Leftrightarrow": {"⇔", rel}, "implies": {"⟹", rel}, "impliedby": {"⟸", rel},
	"iff": {"⟺", rel}, "mapsto": {"↦", rel}, "longmapsto": {"⟼", rel},
	"longrightarrow": {"⟶", rel}, "longleftarrow": {"⟵", rel}, "longleftrightarrow": {"⟷", rel},
	"Longrightarrow": {"⟹", rel}, "Longleftarrow": {"⟸", rel}, "Longleftrightarrow": {"⟺", rel},
	"uparrow": {"↑", rel}, "downarrow": {"↓", rel}, "updownarrow": {"↕", rel},
	"Uparrow": {"⇑", rel}, "Downarrow": {"⇓", rel}, "Updownarrow": {"⇕", rel},
	"nearrow": {"↗", rel}, "searrow": {"↘", rel}, "swarrow": {"↙", rel}, "nwarrow": {"↖", rel},
	"hookrightarrow": {"↪", rel}, "hookleftarrow": {"↩", rel}, "rightharpoonup": {"⇀", rel},
	"leftharpoonup": {"↼", rel}, "rightleftharpoons": {"⇌", rel}, "leadsto": {"⇝", rel},
	"twoheadrightarrow": {"↠", rel}, "rightsquigarrow": {"⇝", rel},

	// Miscellaneous
	"infty": {"∞", ord}, "partial": {"∂", ord}, "nabla": {"∇", ord}, "forall": {"∀", ord},
	"exists": {"∃", ord}, "nexists": {"∄", ord}, "emptyset": {"∅", ord}, "varnothing": {"∅", ord},
	"neg": {"¬", ord}, "lnot": {"¬", ord}, "top": {"⊤", ord}, "bot": {"⊥", ord},
	"angle": {"∠", ord}, "triangle": {"△", ord}, "ell": {"ℓ", ord}, "hbar": {"ℏ", ord},
	"hslash": {"ℏ", ord}, "Re": {"ℜ", ord}, "Im": {"ℑ", ord}, "aleph": {"ℵ", ord},
	"beth": {"ℶ", ord}, "wp": {"℘", ord}, "prime": {"′", ord}, "backslash": {"∖", ord},
	"cdots": {"⋯", ord}, "ldots": {"…", ord}, "dots": {"…", ord}, "dotsc": {"…", ord},
	"dotsb": {"⋯", ord}, "vdots": {"⋮", ord}, "ddots": {"⋱", ord}, "therefore": {"∴", rel},
	"because": {"∵", rel}, "square": {"□", ord}, "Box": {"□", ord}, "blacksquare": {"■", ord},
	"diamond": {"⋄", bin}, "Diamond": {"◇", ord}, "checkmark": {"✓", ord}, "surd": {"√", ord},
	"clubsuit": {"♣", ord}, "diamondsuit": {"♢", ord}, "heartsuit": {"♡", ord}, "spadesuit": {"♠", ord},
	"flat": {"♭", ord}, "natural": {"♮", ord}, "sharp": {"♯", ord}, "degree": {"°", ord},
	"imath": {"ı", ord}, "jmath": {"ȷ", ord}, "complement": {"∁", ord}, "mho": {"℧", ord},
	"colon": {":", punct}, "vert": {"|", ord}, "Vert": {"‖", ord}, "|": {"‖", ord},
	"lbrace": {"{", open}, "rbrace": {"}", closer}, "{": {"{", open}, "}": {"}", closer},
	"langle": {"⟨", open}, "rangle": {"⟩", closer}, "lfloor": {"⌊", open}, "rfloor": {"⌋", closer},
	"lceil": {"⌈", open}, "rceil": {"⌉", closer}, "lvert": {"|", open}, "rvert": {"|", closer},
	"lVert": {"‖", open}, "rVert": {"‖", closer}, "lbrack": {"[", open}, "rbrack": {"]", closer},
	"#": {"#", ord}, "%": {"%", ord}, "&": {"&", ord}, "$": {"$", ord}, "_": {"_", ord},
	"S": {"§", ord}, "P": {"¶", ord}, "dag": {"†", ord}, "ddag": {"‡", ord}, "copyright": {"©", ord},
	"pounds": {"£", ord}, "euro": {"€", ord},

	// Big operators
	"sum": {"∑", large}, "prod": {"∏", large}, "coprod": {"∐", large},
	"int": {"∫", large}, "iint": {"∬", large}, "iiint": {"∭", large}, "oint": {"∮", large},
	"bigcup": {"⋃", large}, "bigcap": {"⋂", large}, "bigoplus": {"⨁", large},
	"bigotimes": {"⨂", large}, "bigodot": {"⨀", large}, "bigvee": {"⋁", large},
	"bigwedge": {"⋀", large}, "bigsqcup": {"⨆", large}, "biguplus": {"⨄", large},
}

// functions are the operator names TeX sets upright; the ones in limitOps
// take their limits above and below in display math.
var functions = map[string]bool{
	"sin": true, "cos": true, "tan": true, "cot": true, "sec": true, "csc": true,
	"arcsin": true, "arccos": true, "arctan": true, "sinh": true, "cosh": true, "tanh": true,
	"coth": true, "log": true, "ln": true, "lg": true, "exp": true, "deg": true, "dim": true,
	"ker": true, "hom": true, "arg": true, "det": true, "gcd": true, "lim": true, "max": true,
	"min": true, "sup": true, "inf": true, "Pr": true, "limsup": true, "liminf": true,
	"argmax": true, "argmin": true, "mod": true, "bmod": true, "lcm": true, "sgn": true,
	"tr": true, "rank": true, "diag": true, "Var": true, "Cov": true,
}

// limitOps take limits above and below in display math; the other large
// operators (the integrals) and functions take them at their right.
var limitOps = map[string]bool{
	"∑": true, "∏": true, "∐": true, "⋃": true, "⋂": true, "⨁": true, "⨂": true, "⨀": true,
	"⋁": true, "⋀": true, "⨆": true, "⨄": true,
	"lim": true, "max": true, "min": true, "sup": true, "inf": true, "limsup": true,
	"liminf": true, "det": true, "gcd": true, "Pr": true, "argmax": true, "argmin": true,
}

// fnNames spells the functions whose command differs from their name.
var fnNames = map[string]string{"limsup": "lim sup", "liminf": "lim inf", "argmax": "arg max", "argmin": "arg min", "bmod": "mod"}

// accents map accent commands to the combining mark put after each
// character of their argument.
var accents = map[string]rune{
	"hat": '\u0302', "widehat": '\u0302', "bar": '\u0304', "overline": '\u0305',
	"vec": '\u20d7', "overrightarrow": '\u20d7', "dot": '\u0307', "ddot": '\u0308',
	"tilde": '\u0303', "widetilde": '\u0303', "underline": '\u0332', "check": '\u030c',
	"breve": '\u0306', "acute": '\u0301', "grave": '\u0300', "mathring": '\u030a',
}

// spaces are the spacing commands, in cells.
var spaces = map[string]int{
	",": 1, ":": 1, ">": 1, ";": 1, " ": 1, "!": 0, "quad": 2, "qquad": 4,
	"thinspace": 1, "medspace": 1, "thickspace": 1, "enspace": 1, "negthinspace": 0,
}

// ignored are commands that change only what a terminal cannot show (size,
// style), so they are skipped.
var ignored = map[string]bool{
	"displaystyle": true, "textstyle": true, "scriptstyle": true, "scriptscriptstyle": true,
	"big": true, "Big": true, "bigg": true, "Bigg": true, "bigl": true, "bigr": true,
	"Bigl": true, "Bigr": true, "biggl": true, "biggr": true, "Biggl": true, "Biggr": true,
	"bigm": true, "Bigm": true, "nonumber": true, "notag": true, "nolimits": true,
}

// superscripts and subscripts hold the characters Unicode has a raised or
// lowered form of.
var superscripts = map[rune]rune{
	'0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
	'+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼', '(': '⁽', ')': '⁾',
	'a': 'ᵃ', 'b': 'ᵇ', 'c': 'ᶜ', 'd': 'ᵈ', 'e': 'ᵉ', 'f': 'ᶠ', 'g': 'ᵍ', 'h': 'ʰ', 'i': 'ⁱ',
	'j': 'ʲ', 'k': 'ᵏ', 'l': 'ˡ', 'm': 'ᵐ', 'n': 'ⁿ', 'o': 'ᵒ', 'p': 'ᵖ', 'r': 'ʳ', 's': 'ˢ',
	't': 'ᵗ', 'u': 'ᵘ', 'v': 'ᵛ', 'w': 'ʷ', 'x': 'ˣ', 'y': 'ʸ', 'z': 'ᶻ',
	'A': 'ᴬ', 'B': 'ᴮ', 'D': 'ᴰ', 'E': 'ᴱ', 'G': 'ᴳ', 'H': 'ᴴ', 'I': 'ᴵ', 'J': 'ᴶ', 'K': 'ᴷ',
	'L': 'ᴸ', 'M': 'ᴹ', 'N': 'ᴺ', 'O': 'ᴼ', 'P': 'ᴾ', 'R': 'ᴿ', 'T': 'ᵀ', 'U': 'ᵁ', 'V': 'ⱽ', 'W': 'ᵂ',
	'α': 'ᵅ', 'β': 'ᵝ', 'γ': 'ᵞ', 'δ': 'ᵟ', 'ε': 'ᵋ', 'θ': 'ᶿ', 'ι': 'ᶥ', 'φ': 'ᵠ', 'ϕ': 'ᵠ', 'χ': 'ᵡ',
	'′': '′', '″': '″', '∗': '*', '*': '*', '†': '†', '∘': '°',
}

var subscripts = map[rune]rune{
	'0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
	'+': '₊', '-': '₋', '−': '₋', '=': '₌', '(': '₍', ')': '₎',
	'a': 'ₐ', 'e': 'ₑ', 'h': 'ₕ', 'i': 'ᵢ', 'j': 'ⱼ', 'k': 'ₖ', 'l': 'ₗ', 'm': 'ₘ', 'n': 'ₙ',
	'o': 'ₒ', 'p': 'ₚ', 'r': 'ᵣ', 's': 'ₛ', 't': 'ₜ', 'u': 'ᵤ', 'v': 'ᵥ', 'x': 'ₓ',
	'β': 'ᵦ', 'γ': 'ᵧ', 'ρ': 'ᵨ', 'φ': 'ᵩ', 'ϕ': 'ᵩ', 'χ': 'ᵪ',
}
