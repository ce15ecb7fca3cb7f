package bot

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// The content catalog: every text the bot says, its menu questions and its button titles,
// in each language, read from YAML (content.yaml, embedded, and BOT_CONTENT_FILE over it).
// A text names what the bot fills in ({router}, {when}...); the brand ({bot_name},
// {company}, {phone}, {website}) is filled in once, when the catalog is built. A catalog never changes once
// built: a reload builds a new one and swaps it in whole (Content).
//
// Written by hand rather than on a message-catalog library: go-i18n keeps one file per
// language with Go-template placeholders ({{.Router}}) and plural forms, and
// golang.org/x/text/message printf formats (%s) in catalogs built from Go code; the catalog
// here is one file, a text by key and then language, with {router} placeholders, and its
// checks name the file's line, which yaml.v3's nodes give. No text here has a plural.

//go:embed content.yaml
var defaultContent []byte

// defaultContentName is how errors in the embedded catalog name it.
const defaultContentName = "bot/content.yaml"

// Catalog is a checked set of texts. Use Text and Format; the zero value is not usable.
type Catalog struct {
	languages []string
	// texts are the texts as written, key -> language -> text; rendered has the brand
	// filled in, which is what the bot says.
	texts    map[msgKey]map[string]string
	rendered map[msgKey]map[string]string
	brand    map[string]map[string]string
	// topics are the catalog's topics (see topics.go), their answers as written.
	topics Topics
	// brandOf is the rendered brand, for the topics' answers.
	brandOf map[string]map[string]string
}

// Topics returns the catalog's topics by name.
func (c *Catalog) Topics() Topics { return c.topics }

// topicAnswer is a topic's answer in lang (or the fallback language's), the brand filled in.
func (c *Catalog) topicAnswer(name, lang string) string {
	return c.topicText(c.topics[name].Answer, lang)
}

// topicFollowUp is a topic's follow-up answer in lang, the brand filled in; "" when the
// topic has none.
func (c *Catalog) topicFollowUp(name, lang string) string {
	return c.topicText(c.topics[name].FollowUp, lang)
}

// topicQuestion is the answer to question q of a topic in lang, the brand filled in; ""
// when the topic has no such question.
// Several questions joined by "+" are answered one after the other.
func (c *Catalog) topicQuestion(name, q, lang string) string {
	var out []string
	for _, one := range strings.Split(q, "+") {
		if c.topics[name].Questions[one] != nil {
			out = append(out, c.topicText(c.topics[name].Questions[one], lang))
		}
	}
	return strings.Join(out, " ")
}

func (c *Catalog) topicText(texts map[string]string, lang string) string {
	s := pickText(texts, lang)
	return fill(s, func(v string) (string, bool) {
		val, ok := c.brandOf[v][lang]
		return val, ok
	})
}

// brandVars are the brand's variables, usable in any text.
var brandVars = []string{"bot_name", "company", "phone", "website"}

// menuBodies are the keys of texts sent as the question of a menu, with its buttons:
// WhatsApp takes at most maxMenuBody characters there. A failure's text goes out with
// "What would you like to do?" after it.
var menuBodies = map[msgKey]bool{
	msgMenuPrompt: true, msgWhatNow: true, msgAgentAfterDone: true, msgAgentAfterAsked: true, msgOfferAgent: true, msgConfirmUpdate: true, msgConfirmRestart: true,
	msgNobodyOnline: true, msgClosed: true, msgNoMoreRetries: true, msgNoMoreRetriesTried: true, msgSorryFrustrated: true, msgAreaOutage: true,
	msgTriedEnough: true, msgTopicAgain: true, msgTopicAgainShort: true, msgUpdateNotWanted: true, msgFailGeneric: true, msgFailRestart: true, msgFailDetail: true, msgFailRestartDetail: true,
	msgFailUnknownRouter: true, msgCheckSerial: true, msgFailRejected: true, msgFailRejectedRestart: true,
	msgFailUnsupported: true, msgFailUnsupportedRestart: true, msgFailOffline: true, msgFailUnavailable: true,
	msgFailUnavailableMidway: true, msgFailTimeout: true, msgFailTimeoutNoAnswer: true, msgFailTimeoutNotBack: true,
	msgFailDownload: true, msgFailInstall: true, msgFailNotBack: true, msgFailUnconfirmed: true,
	msgInternetAsBefore: true, msgInternetSwitchOff: true, msgInternetLeaveOn: true, msgInternetShouldWork: true,
	msgLineNotedUpdate: true, msgTechnicianUpdateFirst: true, msgOnlyAgentCan: true, msgTechnicianCame: true,
	msgRetriesSpentTold:    true,
	msgCheckSerialNotYours: true,
	msgDataDelete:          true,
}

// The most characters WhatsApp takes in a reply button's title and a list row's.
const (
	maxButtonTitle = 20
	maxListRow     = 24
)

// Languages are the catalog's languages, the default (English) first, regional variants
// (pt-PT) included.
func (c *Catalog) Languages() []string { return slices.Clone(c.languages) }

// hasLanguage reports whether the catalog speaks lang, a regional variant or not.
func (c *Catalog) hasLanguage(lang string) bool { return slices.Contains(c.languages, lang) }

// baseLanguage is the language a regional variant falls back to ("pt" for "pt-PT"), ""
// for a language that is no variant. A variant's texts are its base's where it has none of
// its own: it need only hold what it says otherwise.
func baseLanguage(lang string) string {
	if i := strings.IndexByte(lang, '-'); i > 0 {
		return lang[:i]
	}
	return ""
}

// pickText is the text of texts in lang, else in its base language (a variant's), else
// in the fallback language; "" when none.
func pickText(texts map[string]string, lang string) string {
	if s := texts[lang]; s != "" {
		return s
	}
	if s := texts[baseLanguage(lang)]; s != "" {
		return s
	}
	return texts[defaultLanguage]
}

// Len is how many texts (keys) the catalog has.
func (c *Catalog) Len() int { return len(c.rendered) }

// Text is the text of key in lang, falling back to English; "" for a key it lacks.
func (c *Catalog) Text(lang string, key msgKey) string {
	m := c.rendered[key]
	if s, ok := m[lang]; ok {
		return s
	}
	return m[defaultLanguage]
}

// Format is the text of key in lang with its placeholders filled in from name, value
// pairs: Format("en", msgConfirmUpdate, "router", id). A placeholder not given stays as
// written; a value is never read for placeholders itself.
func (c *Catalog) Format(lang string, key msgKey, pairs ...string) string {
	return fill(c.Text(lang, key), func(name string) (string, bool) {
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i] == name {
				return pairs[i+1], true
			}
		}
		return "", false
	})
}

// Content holds the catalog the bot speaks from. Store swaps in a new one (a reload)
// while conversations go on: each message is answered from the catalog of the moment it
// is handled. A nil Content, or one never stored, holds the default.
type Content struct{ cur atomic.Pointer[Catalog] }

// NewContent holds c.
func NewContent(c *Catalog) *Content {
	h := &Content{}
	h.Store(c)
	return h
}

// Load is the catalog now.
func (h *Content) Load() *Catalog {
	if h != nil {
		if c := h.cur.Load(); c != nil {
			return c
		}
	}
	return DefaultCatalog()
}

// Store replaces the catalog.
func (h *Content) Store(c *Catalog) { h.cur.Store(c) }

// catalog is the catalog the bot answers the message being handled from.
func (b *Bot) catalog() *Catalog {
	if b.cat != nil {
		return b.cat
	}
	return b.Content.Load()
}

// t is the bot's text of key in lang.
func (b *Bot) t(lang string, key msgKey) string { return b.catalog().Text(lang, key) }

// tf is the bot's text of key in lang with its placeholders filled in from name, value
// pairs: b.tf(lang, msgConfirmUpdate, "router", id).
func (b *Bot) tf(lang string, key msgKey, pairs ...string) string {
	return b.catalog().Format(lang, key, pairs...)
}

// DefaultCatalog is the embedded catalog, with the texts still defined in Go merged in.
var DefaultCatalog = sync.OnceValue(func() *Catalog {
	c, err := buildDefault()
	if err != nil {
		panic(err) // a test checks the default; this is a broken build
	}
	return c
})

// The embedded regional variants (content.pt-PT.yaml): catalog files over the default,
// each a language whose texts are said otherwise where the customer is.
//
//go:embed content.*.yaml
var variantFiles embed.FS

func buildDefault() (*Catalog, error) {
	c, err := buildBase(defaultContentName, defaultContent)
	if err != nil {
		return nil, err
	}
	names, _ := fs.Glob(variantFiles, "content.*.yaml")
	for _, name := range names {
		data, err := variantFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if c, err = loadOver(c, "bot/"+name, data); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// ExportVariant is the embedded catalog file of a regional variant ("pt-PT"), as YAML with
// its comments; false when there is none.
func ExportVariant(lang string) ([]byte, bool) {
	data, err := variantFiles.ReadFile("content." + lang + ".yaml")
	return data, err == nil
}

// Variants are the embedded regional variants' languages.
func Variants() []string {
	names, _ := fs.Glob(variantFiles, "content.*.yaml")
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.TrimSuffix(strings.TrimPrefix(n, "content."), ".yaml")
	}
	return out
}

// buildBase builds a complete catalog from a file alone.
func buildBase(name string, data []byte) (*Catalog, error) {
	f, errs := parseContent(name, data, nil)
	if len(errs) > 0 {
		return nil, errs
	}
	c := &Catalog{languages: f.languages, texts: map[msgKey]map[string]string{}, brand: map[string]map[string]string{}}
	for v, m := range f.brand {
		c.brand[v] = map[string]string{}
		for l, p := range m {
			c.brand[v][l] = p.text
		}
	}
	for k, m := range f.texts {
		c.texts[k] = map[string]string{}
		for l, p := range m {
			c.texts[k][l] = p.text
		}
	}
	if !slices.Contains(c.languages, defaultLanguage) {
		errs = append(errs, ContentError{File: f.name, Line: f.languagesLine, Msg: "languages: " + defaultLanguage + " is missing: it is the fallback"})
	}
	for _, k := range sortedKeys(f.texts) {
		en, ok := f.texts[k][defaultLanguage]
		want := placeholders(en.text)
		for _, lang := range c.languages {
			p, has := f.texts[k][lang]
			if !has && baseLanguage(lang) != "" {
				continue // a variant says what its base says
			}
			if !has {
				errs = append(errs, ContentError{File: f.name, Line: f.keyLine[k], Key: string(k), Msg: "no " + lang + " text"})
				continue
			}
			if ok {
				errs = append(errs, checkPlaceholders(f.name, p.line, k, lang, p.text, want, defaultLanguage)...)
			}
		}
	}
	for _, v := range sortedKeys(f.brand) {
		if !slices.Contains(brandVars, v) {
			errs = append(errs, ContentError{File: f.name, Line: f.brandLine[v], Key: "brand." + v, Msg: "unknown brand variable"})
		}
	}
	for _, v := range brandVars {
		for _, lang := range c.languages {
			if _, ok := c.brand[v][lang]; !ok && baseLanguage(lang) == "" {
				errs = append(errs, ContentError{File: f.name, Line: f.brandLine[v], Key: "brand." + v, Msg: "no " + lang + " value"})
			}
		}
	}
	return c.finish(f, nil, errs)
}

// LoadCatalog reads a catalog file (name is how errors name it) over the default: keys,
// languages and brand values it leaves out keep the default's. Every error is a
// ContentError naming the file's line and the key; they come together as ContentErrors.
func LoadCatalog(name string, data []byte) (*Catalog, error) {
	c, err := loadOver(DefaultCatalog(), name, data)
	var errs ContentErrors
	if errors.As(err, &errs) {
		return nil, errs.Sorted()
	}
	return c, err
}

func loadOver(base *Catalog, name string, data []byte) (*Catalog, error) {
	f, errs := parseContent(name, data, base.languages)
	if f == nil {
		return nil, errs
	}
	c := &Catalog{languages: slices.Clone(base.languages), texts: map[msgKey]map[string]string{}, brand: map[string]map[string]string{}}
	added := map[string]bool{}
	for _, l := range f.languages {
		if !slices.Contains(c.languages, l) {
			c.languages = append(c.languages, l)
			added[l] = true
		}
	}
	for k, m := range base.texts {
		c.texts[k] = cloneTexts(m)
	}
	for v, m := range base.brand {
		c.brand[v] = cloneTexts(m)
	}
	for _, v := range sortedKeys(f.brand) {
		if !slices.Contains(brandVars, v) {
			errs = append(errs, ContentError{File: name, Line: f.brandLine[v], Key: "brand." + v,
				Msg: "unknown brand variable (the brand has " + strings.Join(brandVars, ", ") + ")"})
			continue
		}
		for _, l := range sortedKeys(f.brand[v]) {
			c.brand[v][l] = f.brand[v][l].text
		}
	}
	for _, k := range sortedKeys(f.texts) {
		if _, ok := base.texts[k]; !ok {
			msg := "unknown key"
			if s := nearest(string(k), base.texts); s != "" {
				msg += " (did you mean " + s + "?)"
			}
			errs = append(errs, ContentError{File: name, Line: f.keyLine[k], Key: string(k), Msg: msg})
			continue
		}
		want := placeholders(base.texts[k][defaultLanguage])
		for _, l := range sortedKeys(f.texts[k]) {
			p := f.texts[k][l]
			errs = append(errs, checkPlaceholders(name, p.line, k, l, p.text, want, "the default")...)
			c.texts[k][l] = p.text
		}
	}
	// Every key in every language: a language the file adds needs all of them (a regional
	// variant only what it says otherwise).
	for _, l := range c.languages {
		if baseLanguage(l) != "" {
			continue
		}
		for _, k := range sortedKeys(c.texts) {
			if _, ok := c.texts[k][l]; ok {
				continue
			}
			line := f.languagesLine
			if _, inFile := f.texts[k]; inFile {
				line = f.keyLine[k]
			}
			errs = append(errs, ContentError{File: name, Line: line, Key: string(k), Msg: "no " + l + " text"})
		}
	}
	for _, l := range c.languages {
		if !added[l] || baseLanguage(l) != "" {
			continue
		}
		for _, v := range brandVars {
			if _, ok := c.brand[v][l]; !ok {
				errs = append(errs, ContentError{File: name, Line: f.languagesLine, Key: "brand." + v, Msg: "no " + l + " value"})
			}
		}
	}
	return c.finish(f, base.topics, errs)
}

// finish reads the file's topics over base's, renders the brand into the texts and checks
// what only the rendered catalog can tell, after the errors found so far.
func (c *Catalog) finish(f *contentFile, base Topics, errs ContentErrors) (*Catalog, error) {
	errs = append(errs, checkBrand(f)...)
	topics, terrs := readTopics(f, base)
	c.topics = topics
	errs = append(errs, terrs...)
	c.render()
	errs = append(errs, c.checkLengths(f)...)
	errs = append(errs, c.checkTopics(f)...)
	if len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

// render fills the brand into every text.
func (c *Catalog) render() {
	brand := map[string]map[string]string{}
	for v, m := range c.brand {
		brand[v] = map[string]string{}
		m = c.withVariants(m)
		for l, s := range m {
			// A brand value may use the other ("Lia, {company}'s assistant").
			brand[v][l] = fill(s, func(name string) (string, bool) {
				val, ok := c.brand[name][l]
				return val, ok && name != v
			})
		}
	}
	c.brandOf = brand
	c.rendered = map[msgKey]map[string]string{}
	for k, m := range c.texts {
		c.rendered[k] = map[string]string{}
		for l, s := range c.withVariants(m) {
			c.rendered[k][l] = fill(s, func(name string) (string, bool) {
				val, ok := brand[name][l]
				return val, ok
			})
		}
	}
}

// withVariants is m with a text for each regional variant that has none of its own: its
// base language's.
func (c *Catalog) withVariants(m map[string]string) map[string]string {
	var out map[string]string // m's copy, once a variant is added: m is the catalog's own
	for _, l := range c.languages {
		b := baseLanguage(l)
		if _, ok := m[l]; ok || b == "" {
			continue
		}
		if s, ok := m[b]; ok {
			if out == nil {
				out = cloneTexts(m)
			}
			out[l] = s
		}
	}
	if out == nil {
		return m
	}
	return out
}

// checkLengths applies WhatsApp's limits to the texts as the bot says them, the brand
// filled in. f places the errors: a text it does not hold is the default's.
func (c *Catalog) checkLengths(f *contentFile) ContentErrors {
	var errs ContentErrors
	// Two buttons of one language with the same title: Chatwoot refuses a menu holding
	// both, and a tap on one could not be told from the other.
	titles := map[string]map[string]msgKey{}
	for _, k := range sortedKeys(c.rendered) {
		if !strings.Contains(string(k), "button") {
			continue
		}
		for _, l := range sortedKeys(c.rendered[k]) {
			title := strings.ToLower(strings.TrimSpace(c.rendered[k][l]))
			if titles[l] == nil {
				titles[l] = map[string]msgKey{}
			}
			if other, dup := titles[l][title]; dup {
				line := f.texts[k][l].line
				if line == 0 {
					line = f.texts[other][l].line
				}
				errs = append(errs, ContentError{File: f.name, Line: line, Key: string(k),
					Msg: fmt.Sprintf("%s title %q is also %s's: buttons need titles of their own", l, c.rendered[k][l], other)})
				continue
			}
			titles[l][title] = k
		}
	}
	for _, k := range sortedKeys(c.rendered) {
		limit, what := maxTextBody, "a text"
		switch name := string(k); {
		case strings.Contains(name, "button"):
			limit, what = maxButtonTitle, "a button title"
		case strings.Contains(name, "list_row"):
			limit, what = maxListRow, "a list row"
		case menuBodies[k]:
			limit, what = maxMenuBody, "a question with buttons"
		}
		for _, l := range sortedKeys(c.rendered[k]) {
			if n := utf8.RuneCountInString(c.rendered[k][l]); n > limit {
				errs = append(errs, ContentError{File: f.name, Line: f.texts[k][l].line, Key: string(k),
					Msg: fmt.Sprintf("%s text has %d characters; %s takes at most %d on WhatsApp", l, n, what, limit)})
			}
			if strings.TrimSpace(c.rendered[k][l]) == "" {
				errs = append(errs, ContentError{File: f.name, Line: f.texts[k][l].line, Key: string(k), Msg: l + " text is empty"})
			}
		}
	}
	return errs
}

// checkPlaceholders compares a text's placeholders with want, those of its key (what
// the bot fills in); the brand may be used anywhere.
func checkPlaceholders(file string, line int, k msgKey, lang, text string, want []string, of string) ContentErrors {
	var errs ContentErrors
	got := placeholders(text)
	if clock, ok := clockPlaceholders[k]; ok {
		return checkClock(file, line, k, lang, got, clock)
	}
	for _, p := range want {
		if !slices.Contains(got, p) {
			errs = append(errs, ContentError{File: file, Line: line, Key: string(k),
				Msg: fmt.Sprintf("%s text lacks {%s} (%s has %s)", lang, p, of, braces(want))})
		}
	}
	for _, p := range got {
		if !slices.Contains(want, p) && !slices.Contains(brandVars, p) {
			have := "no placeholders"
			if len(want) > 0 {
				have = braces(want)
			}
			errs = append(errs, ContentError{File: file, Line: line, Key: string(k),
				Msg: fmt.Sprintf("%s text has {%s}, which the bot does not fill in here (%s has %s; the brand, %s, goes anywhere)", lang, p, of, have, braces(brandVars))})
		}
	}
	return errs
}

// clockPlaceholders are the placeholders a clock text may use, the first of each pair being
// needed unless its alternative is there: a language writes the time on a 24-hour clock
// ({hour}) or a 12-hour one ({hour12} {ampm}), whatever the default's choice.
var clockPlaceholders = map[msgKey][]string{
	msgClock:          {"hour", "hour12", "ampm", "minute"},
	msgClockOnTheHour: {"hour", "hour12", "ampm"},
}

// checkClock checks a clock text's placeholders: an hour (either clock's), the minute
// where the key has one, and nothing the bot does not fill in.
func checkClock(file string, line int, k msgKey, lang string, got, allowed []string) ContentErrors {
	var errs ContentErrors
	fail := func(msg string) {
		errs = append(errs, ContentError{File: file, Line: line, Key: string(k), Msg: lang + " text " + msg})
	}
	if !slices.Contains(got, "hour") && !slices.Contains(got, "hour12") {
		fail("lacks the hour: {hour} (a 24-hour clock) or {hour12} with {ampm}")
	}
	if slices.Contains(allowed, "minute") && !slices.Contains(got, "minute") {
		fail("lacks {minute}")
	}
	for _, p := range got {
		if !slices.Contains(allowed, p) && !slices.Contains(brandVars, p) {
			fail(fmt.Sprintf("has {%s}, which the bot does not fill in here (it fills in %s)", p, braces(allowed)))
		}
	}
	return errs
}

// checkBrand checks that the brand values of f use no placeholders but the brand's own.
func checkBrand(f *contentFile) ContentErrors {
	var errs ContentErrors
	for _, v := range sortedKeys(f.brand) {
		for _, l := range sortedKeys(f.brand[v]) {
			p := f.brand[v][l]
			for _, ph := range placeholders(p.text) {
				if !slices.Contains(brandVars, ph) {
					errs = append(errs, ContentError{File: f.name, Line: p.line, Key: "brand." + v, Msg: fmt.Sprintf("%s value has {%s}: a brand value may use only the brand's (%s)", l, ph, braces(brandVars))})
				}
			}
		}
	}
	return errs
}

// contentFile is a catalog file as read, with the line of everything in it.
type contentFile struct {
	name          string
	languages     []string
	languagesLine int
	brand         map[string]map[string]posText
	brandLine     map[string]int
	texts         map[msgKey]map[string]posText
	keyLine       map[msgKey]int
	topics        *yaml.Node // the topics section, read by readTopics
}

type posText struct {
	text string
	line int
}

var langCode = regexp.MustCompile(`^[a-z]{2,3}(-[A-Z]{2})?$`)

// parseContent reads a catalog file's structure: the sections, each text's languages.
// An empty file is an empty catalog. base are the languages of the catalog it goes over.
func parseContent(name string, data []byte, base []string) (*contentFile, ContentErrors) {
	f := &contentFile{name: name, brand: map[string]map[string]posText{}, brandLine: map[string]int{},
		texts: map[msgKey]map[string]posText{}, keyLine: map[msgKey]int{}}
	var errs ContentErrors
	bad := func(n *yaml.Node, key, format string, args ...any) {
		errs = append(errs, ContentError{File: name, Line: n.Line, Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, ContentErrors{yamlError(name, err)}
	}
	if len(doc.Content) == 0 {
		return f, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		bad(root, "", "want a mapping of languages, brand and texts")
		return f, errs
	}
	known := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if known[k.Value] {
			bad(k, k.Value, "appears twice")
			continue
		}
		known[k.Value] = true
		switch k.Value {
		case "languages":
			f.languagesLine = k.Line
			if v.Kind != yaml.SequenceNode {
				bad(v, "languages", "want a list of language codes, such as [en, es, pt]")
				continue
			}
			for _, n := range v.Content {
				if n.Kind != yaml.ScalarNode || !langCode.MatchString(n.Value) {
					bad(n, "languages", "%q is not a language code (two or three lower-case letters, such as fr, or a regional variant such as pt-PT)", n.Value)
					continue
				}
				if !slices.Contains(f.languages, n.Value) {
					f.languages = append(f.languages, n.Value)
				}
			}
		case "brand", "texts":
			if v.Kind != yaml.MappingNode {
				bad(v, k.Value, "want a mapping of names to texts by language")
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				kk, vv := v.Content[j], v.Content[j+1]
				key := kk.Value
				full := key
				if k.Value == "brand" {
					full = "brand." + key
				}
				var langs map[string]posText
				if k.Value == "brand" {
					if _, dup := f.brand[key]; dup {
						bad(kk, full, "appears twice")
						continue
					}
					f.brandLine[key] = kk.Line
				} else {
					if _, dup := f.texts[msgKey(key)]; dup {
						bad(kk, full, "appears twice")
						continue
					}
					f.keyLine[msgKey(key)] = kk.Line
				}
				langs = map[string]posText{}
				switch {
				case vv.Kind == yaml.ScalarNode && k.Value == "brand":
					// One value for every language: "company: Acme".
					for _, l := range append(slices.Clone(base), f.languages...) {
						langs[l] = posText{text: vv.Value, line: vv.Line}
					}
				case vv.Kind != yaml.MappingNode:
					bad(vv, full, "want a text for each language, such as en: \"...\"")
					continue
				}
				for m := 0; m+1 < len(vv.Content) && vv.Kind == yaml.MappingNode; m += 2 {
					ln, tn := vv.Content[m], vv.Content[m+1]
					switch {
					case !langCode.MatchString(ln.Value):
						bad(ln, full, "%q is not a language code", ln.Value)
					case tn.Kind != yaml.ScalarNode:
						bad(tn, full, "the %s text is not a text", ln.Value)
					case tn.Tag == "!!null":
						bad(tn, full, "the %s text is empty", ln.Value)
					default:
						if _, dup := langs[ln.Value]; dup {
							bad(ln, full, "%s appears twice", ln.Value)
						}
						langs[ln.Value] = posText{text: tn.Value, line: tn.Line}
					}
				}
				if k.Value == "brand" {
					f.brand[key] = langs
				} else {
					f.texts[msgKey(key)] = langs
				}
			}
		case "topics":
			if v.Kind != yaml.MappingNode {
				bad(v, "topics", "want a mapping of topic names to their answer, agent and team_id")
				continue
			}
			f.topics = v
		default:
			bad(k, k.Value, "unknown section (a catalog has languages, brand, texts and topics)")
		}
	}
	// A language a text or the brand uses must be listed (here or in the default).
	listed := append(slices.Clone(base), f.languages...)
	for _, l := range f.languages {
		if b := baseLanguage(l); b != "" && !slices.Contains(listed, b) {
			errs = append(errs, ContentError{File: name, Line: f.languagesLine, Key: "languages",
				Msg: fmt.Sprintf("%s is a variant of %s, which is not a language of the catalog: add %s to languages", l, b, b)})
		}
	}
	for _, k := range sortedKeys(f.texts) {
		for _, l := range sortedKeys(f.texts[k]) {
			if !slices.Contains(listed, l) {
				errs = append(errs, ContentError{File: name, Line: f.texts[k][l].line, Key: string(k),
					Msg: fmt.Sprintf("%s is not a language of the catalog (languages: %s): add it to languages", l, strings.Join(listed, ", "))})
			}
		}
	}
	for _, v := range sortedKeys(f.brand) {
		for _, l := range sortedKeys(f.brand[v]) {
			if !slices.Contains(listed, l) {
				errs = append(errs, ContentError{File: name, Line: f.brand[v][l].line, Key: "brand." + v,
					Msg: fmt.Sprintf("%s is not a language of the catalog (languages: %s): add it to languages", l, strings.Join(listed, ", "))})
			}
		}
	}
	return f, errs
}

// ContentError is a fault in a catalog file, at a line, in a key's text.
type ContentError struct {
	File string
	Line int // 0 when unknown: a text defined in Go
	Key  string
	Msg  string
}

func (e ContentError) Error() string {
	var sb strings.Builder
	sb.WriteString(e.File)
	if e.Line > 0 {
		sb.WriteString(":" + strconv.Itoa(e.Line))
	}
	sb.WriteString(": ")
	if e.Key != "" {
		sb.WriteString(e.Key + ": ")
	}
	sb.WriteString(e.Msg)
	return sb.String()
}

// ContentErrors are every fault found in a catalog file, in the file's order.
type ContentErrors []ContentError

func (es ContentErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Sorted puts the errors in the file's order.
func (es ContentErrors) Sorted() ContentErrors {
	out := slices.Clone(es)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError places a YAML syntax error at its line.
func yamlError(name string, err error) ContentError {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = "yaml: " + te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return ContentError{File: name, Line: n, Msg: m[2]}
	}
	return ContentError{File: name, Msg: strings.TrimPrefix(msg, "yaml: ")}
}

var placeholder = regexp.MustCompile(`\{([a-z][a-z0-9_]*)\}`)

// placeholders are the names in braces in s, each once, in order.
func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// fill replaces each {name} of s that value knows; the values are not read again.
func fill(s string, value func(name string) (string, bool)) string {
	if !strings.Contains(s, "{") {
		return s
	}
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		if v, ok := value(m[1 : len(m)-1]); ok {
			return v
		}
		return m
	})
}

func braces(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "{" + n + "}"
	}
	return strings.Join(out, ", ")
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func cloneTexts(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// nearest is the key of known closest to key, when it is a likely typo (two edits at most).
func nearest[V any](key string, known map[msgKey]V) string {
	best, bestD := "", 3
	for _, k := range sortedKeys(known) {
		if d := distance(key, string(k)); d < bestD {
			best, bestD = string(k), d
		}
	}
	return best
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// ExportContent is the complete default catalog, as YAML with its comments: the
// embedded file itself.
func ExportContent() []byte { return bytes.Clone(defaultContent) }

// yamlQuote writes s as a YAML double-quoted scalar.
func yamlQuote(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		case '\n':
			sb.WriteString(`\n`)
		case '\t':
			sb.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&sb, `\x%02x`, r)
				continue
			}
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}
