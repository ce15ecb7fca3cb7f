package intents

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// chatSpelling expands WhatsApp shorthand so "xfa" and "por favor" share features.
// Keys are in folded form (see fold); no expansion may contain a key, which keeps
// Normalize idempotent. A key must not be a word of another of the three languages:
// "toy", "pro", "tb" and "k" are not here, as English "toy" is not Spanish "estoy".
var chatSpelling = map[string]string{
	// English
	"pls": "please", "plz": "please", "plis": "please", "pliz": "please", "pleas": "please",
	"thx": "thanks", "thnx": "thanks", "thanx": "thanks", "tks": "thanks", "tnx": "thanks", "ty": "thank you",
	"u": "you", "ur": "your", "r": "are", "im": "i am", "ive": "i have", "dont": "do not", "doesnt": "does not",
	"cant": "can not", "cannot": "can not", "isnt": "is not", "wanna": "want to", "gonna": "going to",
	"gimme": "give me", "idk": "i do not know", "asap": "as soon as possible", "upd8": "update",
	"b4": "before", "2day": "today", "tmrw": "tomorrow", "cuz": "because", "coz": "because", "bc": "because",
	"rn": "right now", "msg": "message", "pic": "picture", "whats": "what is", "hows": "how is",
	// Spanish
	"xfa": "por favor", "xfavor": "por favor", "porfa": "por favor", "porfis": "por favor", "pf": "por favor",
	"pfa": "por favor", "pfv": "por favor", "pfvr": "por favor", "porfavor": "por favor",
	"q": "que", "ke": "que", "xq": "porque", "pq": "porque", "pk": "porque", "porq": "porque",
	"tmb": "tambien", "tbn": "tambien", "d": "de", "dnd": "donde", "bn": "bien",
	"grax": "gracias", "grcs": "gracias", "grs": "gracias", "grasias": "gracias", "msj": "mensaje",
	"hla": "hola", "nd": "nada", "ta": "esta", "pa": "para", "aki": "aqui", "dl": "del",
	"bno": "bueno", "salu2": "saludos", "x": "por", "cel": "celular", "ud": "usted", "uds": "ustedes",
	// "actualisalo": the z written as it sounds in Latin America
	// ("actualisar" is learned as it is written: the intents file has it)
	"actualisa": "actualiza", "actualisalo": "actualizalo", "actualisame": "actualizame", "actualisen": "actualicen",
	// Portuguese
	"vc": "voce", "vcs": "voces", "ce": "voce", "pra": "para", "tbm": "tambem",
	"obg": "obrigado", "obgd": "obrigado", "obgda": "obrigada", "brigado": "obrigado", "brigada": "obrigada",
	"vlw": "valeu", "blz": "beleza", "td": "tudo", "tdb": "tudo bem", "hj": "hoje", "agr": "agora",
	"qdo": "quando", "qnd": "quando", "cmg": "comigo", "mto": "muito", "mt": "muito", "msm": "mesmo",
	"n": "nao", "oq": "o que", "ctz": "certeza", "kd": "cade", "tah": "esta", "eh": "e", "naum": "nao",
}

// Normalize folds text to the form the classifier sees: lower case, no accents, no
// punctuation or emoji, letters repeated three or more times squeezed ("holaaaa" -> "hola")
// and WhatsApp shorthand expanded ("xfa" -> "por favor"). Words are separated by one space.
func Normalize(text string) string {
	return strings.Join(words(text), " ")
}

// words is Normalize before joining.
func words(text string) []string {
	raw := fold(text)
	out := make([]string, 0, len(raw))
	for _, w := range raw {
		if e, ok := chatSpelling[w]; ok {
			out = append(out, strings.Fields(e)...)
			continue
		}
		out = append(out, w)
	}
	return out
}

// fold splits text into lower-case, accent-free words with squeezed repeats, without the
// shorthand table: menu matching needs "n" and "y" as typed.
func fold(text string) []string {
	s := clean(text)
	// Cleaning can expose new foldable runes (a compatibility character decomposing to an
	// upper-case letter); repeat until stable so that Normalize is idempotent.
	for i := 0; i < 3; i++ {
		t := clean(s)
		if t == s {
			break
		}
		s = t
	}
	ws := strings.Fields(s)
	for i, w := range ws {
		if len(w) >= 2 && strings.Trim(w, "k") == "" {
			// "kkkk" is how Brazilians laugh: squeezed to "k" it would read as "ok", a yes.
			ws[i] = "haha"
			continue
		}
		ws[i] = squeeze(w)
	}
	return ws
}

func clean(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		text = norm.NFKD.String(strings.ToValidUTF8(text, " "))
	}
	for _, r := range text {
		switch {
		case r == '\'' || r == '’' || r == '`' || r == '´' || unicode.Is(unicode.Mn, r):
			// Dropped rather than spaced: "don't" -> "dont", "é" -> "e".
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// squeeze shortens runs of three or more equal letters to one; doubles stay, since
// they are real spelling ("carro", "cool").
func squeeze(w string) string {
	rs := []rune(w)
	out := rs[:0]
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && rs[j] == rs[i] {
			j++
		}
		n := j - i
		if n >= 3 && unicode.IsLetter(rs[i]) {
			n = 1
		}
		for k := 0; k < n; k++ {
			out = append(out, rs[i])
		}
		i = j
	}
	return string(out)
}
