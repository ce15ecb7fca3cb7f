package intents

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// ReadExamples reads a JSON-lines file of {"text": ..., "intent": ...}.
func ReadExamples(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Example
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var e Example
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if e.Intent == "" {
			return nil, fmt.Errorf("%s:%d: no intent", path, line)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// IntentScore is the per-intent part of an evaluation.
type IntentScore struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	N         int     `json:"n"`
}

// Evaluation is what EvalCommand prints. In-scope accuracy counts a wrongly rejected
// text as an error, as in Larson et al. 2019.
type Evaluation struct {
	InScopeAccuracy  float64                `json:"in_scope_accuracy"`
	AccuracyNoReject float64                `json:"in_scope_accuracy_no_rejection"`
	OOSRecall        float64                `json:"oos_recall"`
	OOSPrecision     float64                `json:"oos_precision"`
	N                int                    `json:"n"`
	NOOS             int                    `json:"n_oos"`
	PerIntent        map[string]IntentScore `json:"per_intent"`
	TrainMS          float64                `json:"train_ms"`
	QueryUS          float64                `json:"query_us"`
	Threshold        float64                `json:"threshold"`
	Temperature      float64                `json:"temperature"`
	InScopeRejected  int                    `json:"in_scope_rejected"`
	OOSAccepted      int                    `json:"oos_accepted"`
	// VectorsLoadMS is the time LoadVectors took (--vectors), not part of TrainMS.
	VectorsLoadMS float64 `json:"vectors_load_ms,omitempty"`
}

// Evaluate scores c on test and times the queries.
func Evaluate(c *Classifier, test []Example) Evaluation {
	ev := Evaluation{N: len(test), PerIntent: map[string]IntentScore{}, Threshold: c.threshold, Temperature: c.temp}
	tp, fp, n := map[string]int{}, map[string]int{}, map[string]int{}
	var inOK, inOKNoReject, nIn, oosOK int
	c.Predict("warm up") // loads the language profiles, a one-time cost
	start := time.Now()
	for _, e := range test {
		r := c.Predict(e.Text)
		n[e.Intent]++
		if r.Intent == e.Intent {
			tp[e.Intent]++
		} else {
			fp[r.Intent]++
		}
		if e.Intent == OutOfScope {
			ev.NOOS++
			if r.Intent == OutOfScope {
				oosOK++
			} else {
				ev.OOSAccepted++
			}
			continue
		}
		nIn++
		if r.Intent == e.Intent {
			inOK++
		}
		if r.Intent == OutOfScope {
			ev.InScopeRejected++
		}
		if len(r.Ranked) > 0 && r.Ranked[0].Intent == e.Intent {
			inOKNoReject++
		}
	}
	if len(test) > 0 {
		ev.QueryUS = float64(time.Since(start).Microseconds()) / float64(len(test))
	}
	ratio := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	ev.InScopeAccuracy, ev.AccuracyNoReject = ratio(inOK, nIn), ratio(inOKNoReject, nIn)
	ev.OOSRecall, ev.OOSPrecision = ratio(oosOK, ev.NOOS), ratio(oosOK, oosOK+fp[OutOfScope])
	for in, k := range n {
		ev.PerIntent[in] = IntentScore{Precision: ratio(tp[in], tp[in]+fp[in]), Recall: ratio(tp[in], k), N: k}
	}
	return ev
}

// EvalCommand implements "intents eval --train FILE --test FILE [--valid FILE] [--vectors FILE]":
// it trains (on the bot's own intents without --train, with pretrained word vectors when
// given), evaluates and prints one JSON object.
func EvalCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("intents eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	train := fs.String("train", "", "training examples, JSON lines (default: the bot's intents)")
	test := fs.String("test", "", "test examples, JSON lines; intent \"oos\" is out of scope")
	valid := fs.String("valid", "", "validation examples that choose the temperature and oos threshold instead of cross-validation")
	var o Options
	vectors := fs.String("vectors", "", "pretrained word vectors, word2vec/fastText/GloVe text format (default: none)")
	maxVectors := fs.Int("vectors-max", 0, "read at most this many vectors, the most frequent words first (default: all)")
	fs.Float64Var(&o.VectorWeight, "vector-weight", 0, "norm of the word-vector features against the sparse blocks' (default 1)")
	fs.Float64Var(&o.ExpandCos, "expand-cos", 0, "with --vectors: map a word unseen in training to the nearest training word when their cosine is at least this (default 0: off)")
	fs.Float64Var(&o.ExpandWeight, "expand-weight", 0, "weight of the mapped word's features against a seen word's (default 0.5)")
	oosClass := fs.Bool("oos-class", true, "also train the oos examples as a class; --oos-class=false: they only choose the threshold")
	fs.Float64Var(&o.NB, "nb", 0, "add this times a multinomial naive Bayes' log feature probabilities to the weights (default 0: none)")
	fs.Float64Var(&o.NBAlpha, "nb-alpha", 0, "naive Bayes additive smoothing (default 0.1)")
	wordContext := fs.Bool("word-context", true, "word-context features: skip-bigrams, first and last word, English-stem bigrams; --word-context=false: none")
	fs.IntVar(&o.Folds, "folds", 0, "cross-validation folds (default 5)")
	fs.IntVar(&o.Epochs, "epochs", 0, "SGD epochs (default 40)")
	fs.Float64Var(&o.LearningRate, "lr", 0, "initial learning rate (default 0.5)")
	fs.Float64Var(&o.L2, "l2", 0, "L2 weight decay (default 1e-5)")
	fs.IntVar(&o.MinN, "minn", 0, "shortest character n-gram (default 2)")
	fs.IntVar(&o.MaxN, "maxn", 0, "longest character n-gram (default 5)")
	fs.Float64Var(&o.OOSWeight, "oos-weight", 0, "weight of oos recall against in-scope accuracy when choosing the threshold (default 1)")
	fs.Float64Var(&o.OOSRecall, "oos-recall", 0, "choose instead the lowest threshold rejecting at least this share of the held-out oos texts, e.g. 0.491 to compare at a published oos recall (default 0: off)")
	fs.Float64Var(&o.Threshold, "threshold", 0, "fixed oos threshold; negative disables rejection (default: chosen from data)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: intents eval [--train FILE] --test FILE [--valid FILE] [--vectors FILE]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	o.NoOOSClass = !*oosClass
	o.NoWordContext = !*wordContext
	if *test == "" || fs.NArg() > 0 {
		fs.Usage()
		return UsageError("intents eval: need --test FILE and no other arguments")
	}
	testEx, err := ReadExamples(*test)
	if err != nil {
		return err
	}
	var trainEx, validEx []Example
	if *train != "" {
		if trainEx, err = ReadExamples(*train); err != nil {
			return err
		}
	} else {
		trainEx = Default().Examples()
	}
	var loadMS float64
	if *vectors != "" {
		start := time.Now()
		if o.Vectors, err = LoadVectors(*vectors, *maxVectors); err != nil {
			return err
		}
		loadMS = float64(time.Since(start).Microseconds()) / 1000
	}
	opts := o
	if *valid != "" {
		if validEx, err = ReadExamples(*valid); err != nil {
			return err
		}
		opts.Folds = 1
	}
	start := time.Now()
	c, err := TrainExamples(trainEx, opts)
	if err != nil {
		return err
	}
	if validEx != nil {
		c.Calibrate(validEx)
	}
	trainMS := float64(time.Since(start).Microseconds()) / 1000
	ev := Evaluate(c, testEx)
	ev.TrainMS, ev.VectorsLoadMS = trainMS, loadMS
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(ev)
}

// CheckCommand implements `intents check [--file FILE] [--state STATE] "text"`: it prints
// the detected language, the ranked intents and the acts, to see why the bot answered what
// it did. With --state it reads the text as the bot does in that state: the word lists, the
// learned reader (with the acts it gives 0.3 or more) and the rules that settle them.
func CheckCommand(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("intents check", flag.ContinueOnError)
	fs.SetOutput(stdout)
	file := fs.String("file", "", "intents file (default: the embedded one)")
	state := fs.String("state", "", "the dialogue state the text answers: "+strings.Join(actStates, ", "))
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: intents check [--file FILE] [--state STATE] "text"`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	text := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(text) == "" {
		fs.Usage()
		return UsageError("intents check: no text")
	}
	if *state != "" && !slices.Contains(actStates, *state) {
		return UsageError(fmt.Sprintf("intents check: --state %q: want one of %s", *state, strings.Join(actStates, ", ")))
	}
	train := DefaultClassifier // trained once per process
	if *file != "" {
		ds, err := LoadFile(*file)
		if err != nil {
			return err
		}
		train = func() (*Classifier, error) { return Train(ds, Options{}) }
	}
	c, err := train()
	if err != nil {
		return err
	}
	r := c.Predict(text)
	lang, lconf := DetectLanguage(text)
	if lang == "" {
		lang = "?"
	}
	fmt.Fprintf(stdout, "normalized: %s\nlanguage: %s (%.2f)\nintent: %s (%.3f, threshold %.3f)\n",
		Normalize(text), lang, lconf, r.Intent, r.Confidence, c.Threshold())
	for _, s := range r.Ranked {
		fmt.Fprintf(stdout, "  %-16s %.3f\n", s.Intent, s.Confidence)
	}
	lex := defaultLexicon()
	fmt.Fprintf(stdout, "acts by the word lists: %s\n", lex.Acts(text))
	if *state == "" {
		return nil
	}
	fmt.Fprintf(stdout, "learned reader in %s (probability / the act's threshold):", *state)
	for a, p := range defaultActModel().probs(text, *state) {
		if p >= 0.3 {
			fmt.Fprintf(stdout, " %s %.2f/%.2f", Act(a), p, actThreshold(Act(a)))
		}
	}
	rd := Reader{NLU: c, Lexicon: lex, SerialPattern: DefaultSerialPattern}
	rr := rd.Read(context.Background(), text, TurnContext(*state))
	fmt.Fprintf(stdout, "\nreading: intent %s, acts %s, choice %d, serials %v\n", rr.Intent, rr.Acts, rr.Choice, rr.Serials)
	if len(rr.Asks) > 0 {
		fmt.Fprintf(stdout, "asks about: %s\n", strings.Join(rr.Asks, ", "))
	}
	if rr.Intent != r.Intent {
		fmt.Fprintf(stdout, "request: %s (%.3f), read in a part\n", rr.Intent, rr.Confidence)
	}
	for _, p := range rr.Parts {
		fmt.Fprintf(stdout, "a part asks: %s (%.3f)\n", p.Intent, p.Confidence)
	}
	if rr.Unfinished {
		fmt.Fprintln(stdout, "unfinished: the rest is coming")
	}
	if rr.NamesUpdate {
		fmt.Fprintln(stdout, "names the router's update")
	}
	for _, f := range []struct {
		on   bool
		what string
	}{{rr.Restarted, "says the router was restarted already"}, {rr.RestartSelf, "says they will restart the router themselves"}, {rr.NothingAsked, "says nothing was asked for"},
		{rr.ByMistake, "says it was written by mistake"}, {rr.CantWriteNow, "says they cannot write now"}, {rr.AsksPurpose, "asks what it is for"}, {rr.HowAreYou, "asks how the bot is"},
		{rr.AsksWait, "asks how long the wait for an agent is"}, {rr.AsksNeedsUpdate, "asks whether the router needs an update"},
		{rr.AsksWhy, "asks why"}, {rr.NamesFailure, "names a failure"}, {rr.AsksDrops, "asks about the drops"}, {rr.NotWarned, "complains no notice was given"}, {rr.RefusesBot, "refuses the bot"}, {rr.AsksWhatToWrite, "asks what to write"},
		{rr.AsksWhatNow, "asks what to do now"}, {rr.AsksFix, "asks for the trouble fixed"}, {rr.AsksWhenBack, "asks when the service comes back"},
		{rr.AsksUntilWhen, "asks until what time, naming nothing that opens"},
		{rr.AsksCompensation, "asks for compensation"}, {rr.AsksPassword, "asks the bot for the Wi-Fi password"},
		{rr.AsksWorkThisTime, "asks whether it will work this time"}, {rr.AgainAsked, "asks 'again?' in disbelief"}, {rr.LeavesLine, "leaves the line for an agent"}, {rr.GivesUp, "gives up waiting"}, {rr.AsksInLine, "asks whether they are in the line"}, {rr.AsksSooner, "asks for someone sooner"}, {rr.AsksCall, "asks for a phone call"}, {rr.RejoinsLine, "asks to be put back in the line"}, {rr.AsksIfNot, "asks what if it does not help"},
		{rr.LabelSays, "insists the serial is the label's"}, {rr.DoubtsAnswer, "asks whether that is all"}, {rr.NamesTime, "names a length of time"}, {rr.LooksAtOther, "will look at another box"}, {rr.AsksContact, "asks how or when to reach us"},
		{rr.AnotherRouter, "speaks of another router of the customer's"}, {rr.SomeoneElses, "says the router named is someone else's"},
		{rr.MineIs, "gives the customer's own router"}, {rr.Withholds, "refuses to give what was asked"}, {rr.SerialZeros, "has a serial typed with the letter O for zero"},
		{rr.AsksNoNeed, "asks whether nothing more is needed"}, {rr.ProblemUntold, "tells of a problem, and nothing of what it is"},
		{rr.SerialFound, "says the label was found"}, {rr.AsksOtherNumber, "asks whether another person writes from their own number"},
		{rr.Corrects, "corrects what the customer said before"},
		{rr.AsksUpdateSafe, "asks what the update is or whether it is safe"},
		{rr.PhoneUnanswered, "tells the phone line never answered"},
		{rr.AsksScam, "asks whether this chat is really the company's"},
		{rr.AsksItself, "asks the bot to do it itself"},
		{rr.AsksTechnician, "asks for a technician's visit"}, {rr.TechnicianCame, "tells of a technician's visit that took place"},
		{rr.SentMedia == "audio", "tells of a voice note sent"},
		{rr.SentMedia == "image", "tells of a photo sent"},
		{rr.AsksData, "asks what data is held of them"}, {rr.AsksDataDeleted, "asks for their data to be deleted"},
		{rr.OffTopic, "makes small talk or asks something off-topic"}, {rr.Introduces, "says who writes"},
		{rr.AsksWhatRouter, "asks what a router is"}, {rr.DescribesRouter, "describes a box with lights"},
		{rr.WhereAsked, "asks where to find something, naming no serial"},
		{rr.StillThere, "asks whether anyone is there"}, {rr.AsksProtocol, "asks for a protocol or reference number"},
		{rr.AsksBroken, "asks whether the router is broken"}, {rr.AsksLost, "asks whether anything was lost"},
		{rr.AsksUnplug, "asks whether to unplug the router"},
		{rr.Maybe, "says only maybe"}, {rr.AsksUpdateHelps, "asks whether the update would help"}, {rr.AsksRecommend, "asks what the bot recommends"},
		{rr.AsksUpdateOrRestart, "asks how an update differs from a restart"},
		{rr.ForOther, "says the line is someone else's"}, {rr.SentHere, "says who sent them here"},
		{rr.AsksHolder, "asks whether the account holder must be there"},
		{rr.AsksActForHolder, "asks whether they may act for the account holder"}, {rr.AsksHolderRouter, "asks whether the router is the account holder's"},
		{rr.NamesPhone, "names a phone number"}, {rr.HolderAway, "says the account holder is away"},
		{rr.AsksWhoDoes, "asks who does it"}, {rr.RefusesAds, "refuses advertising"},
		{rr.Lukewarm, "says mildly the connection is still not good"}, {rr.AsksToDo, "asks whether anything is left to do"}} {
		if f.on {
			fmt.Fprintln(stdout, f.what)
		}
	}
	return nil
}

// UsageError is a command line the intents commands cannot run (exit code 2 in cwbot).
type UsageError string

func (e UsageError) Error() string    { return string(e) }
func (e UsageError) UsageError() bool { return true }

func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return UsageError(fs.Name() + ": " + err.Error())
}
