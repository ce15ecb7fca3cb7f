package intents

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync"
)

// Options tune training. The zero value gives the defaults used by the bot.
type Options struct {
	// Seed fixes shuffling so that training is reproducible.
	Seed uint64
	// Epochs of SGD over the training examples (default 40).
	Epochs int
	// LearningRate at the start; it decays linearly to zero (default 0.5).
	LearningRate float64
	// L2 weight decay (default 1e-5).
	L2 float64
	// Folds of the cross-validation that picks the temperature and the out-of-scope
	// threshold (default 5; 1 or less skips it, as when Calibrate is called with a validation set).
	Folds int
	// CVRepeats is how many times the cross-validation runs, each over other folds, its
	// held-out scores pooled to choose the threshold (default: 3 for a training set of
	// under 5,000 texts with out-of-scope ones, else 1). On a small set one split's
	// threshold rests on few held-out scores; the pooled one on three times as many.
	CVRepeats int
	// Threshold, when positive, fixes the out-of-scope threshold instead of choosing it
	// from data; negative disables rejection.
	Threshold float64
	// MinN and MaxN bound the character n-grams (default 2 and 5).
	MinN, MaxN int
	// Vectors, when set, adds pretrained word vectors to the features (see LoadVectors).
	Vectors *Vectors
	// VectorWeight is the norm of the word-vector block against the two unit-norm sparse
	// blocks (default 1).
	VectorWeight float64
	// OOSWeight weighs out-of-scope recall against in-scope accuracy when choosing the
	// threshold (default 1: both rates count the same, however few oos examples there are).
	OOSWeight float64
	// OOSRecall, when positive, replaces OOSWeight's trade-off: the threshold is the
	// lowest that rejects at least this share of the held-out out-of-scope examples, to
	// compare classifiers at the same out-of-scope recall (default 0: off).
	OOSRecall float64
	// ExpandCos, with Vectors, maps each query word that no training text has to the
	// nearest training word by vector cosine when that is at least ExpandCos, and adds
	// that word's word and stem features at ExpandWeight (default 0.5) times their TF-IDF
	// (default 0: off).
	ExpandCos, ExpandWeight float64
	// NoOOSClass keeps the out-of-scope examples for choosing the threshold only. By
	// default they also train one more class: its probability mass lowers the confidence
	// of the in-scope intents on texts like them, which the threshold then rejects; the
	// class itself is never returned nor ranked.
	NoOOSClass bool
	// NB, when positive, adds NB times the log feature probabilities of a multinomial
	// naive Bayes over the sparse TF-IDF features (additive smoothing NBAlpha, default 0.1)
	// to the weights (default 0: none).
	NB, NBAlpha float64
	// NoWordContext leaves out the word-context features that are on by default: the word
	// two back (skip-bigrams), the first and the last word marked as such, and bigrams of
	// English stems.
	NoWordContext bool
}

func (o Options) withDefaults() Options {
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Epochs <= 0 {
		o.Epochs = 40
	}
	if o.LearningRate <= 0 {
		o.LearningRate = 0.5
	}
	if o.L2 <= 0 {
		o.L2 = 1e-5
	}
	if o.Folds == 0 {
		o.Folds = 5
	}
	if o.OOSWeight <= 0 {
		o.OOSWeight = 1
	}
	if o.NBAlpha <= 0 {
		o.NBAlpha = 0.1
	}
	if o.ExpandWeight <= 0 {
		o.ExpandWeight = 0.5
	}
	if o.VectorWeight <= 0 {
		o.VectorWeight = 1
	}
	if o.MinN <= 0 {
		o.MinN = 2
	}
	if o.MaxN < o.MinN {
		o.MaxN = max(5, o.MinN)
	}
	return o
}

// Classifier is the built-in NLU: TF-IDF word and character n-grams, multinomial logistic
// regression, temperature-calibrated confidences and an out-of-scope threshold, both
// chosen on held-out data. It is safe for concurrent use.
type Classifier struct {
	oosWeight float64
	oosRecall float64
	fz        featurizer
	m         *linear
	labels    []string
	temp      float64
	threshold float64
}

// Train trains a classifier on a dataset; its out-of-scope examples choose the threshold.
func Train(ds *Dataset, opts Options) (*Classifier, error) {
	return TrainExamples(ds.Examples(), opts)
}

// TrainExamples trains on labelled examples; those labelled OutOfScope are not a class
// but pick the rejection threshold.
func TrainExamples(examples []Example, opts Options) (*Classifier, error) {
	o := opts.withDefaults()
	c := &Classifier{fz: featurizer{minN: o.MinN, maxN: o.MaxN, vec: o.Vectors, vecWeight: float32(o.VectorWeight),
		expandCos: float32(o.ExpandCos), expandWeight: float32(o.ExpandWeight), context: !o.NoWordContext},
		temp: 1, oosWeight: o.OOSWeight, oosRecall: o.OOSRecall}
	var texts, oos []string
	var ys []int
	class := map[string]int{}
	for _, e := range examples {
		if e.Intent == OutOfScope {
			oos = append(oos, e.Text)
			continue
		}
		y, ok := class[e.Intent]
		if !ok {
			y = len(c.labels)
			class[e.Intent] = y
			c.labels = append(c.labels, e.Intent)
		}
		texts = append(texts, e.Text)
		ys = append(ys, y)
	}
	if len(c.labels) < 2 {
		return nil, errNoData
	}
	k := len(c.labels)
	nIn := len(texts)
	if !o.NoOOSClass && len(oos) > 0 {
		// The extra class k follows the intents; the texts follow theirs.
		for _, t := range oos {
			texts, ys = append(texts, t), append(ys, k)
		}
		oos = nil
		k++
	}
	xs := c.fz.fit(texts)
	oosX := make([]sparse, len(oos))
	for i, t := range oos {
		oosX[i] = c.fz.vector(t)
	}
	// d features: the sparse ones (sd of them) first, then the word vectors' dense block.
	d, sd := c.fz.dims(), len(c.fz.idf)
	if o.Folds > 1 {
		repeats := o.CVRepeats
		if repeats <= 0 {
			repeats = 1
			if hasOOS := len(oos) > 0 || k > len(c.labels); hasOOS && len(texts)+len(oos) < 5000 {
				repeats = 3
			}
		}
		var inZ, oosZ [][]float32
		var inY []int
		for r := range repeats {
			ro := o
			ro.Seed = o.Seed + uint64(r)*7919
			z, oz := crossValidate(xs, ys, oosX, k, d, sd, ro)
			// With the oos class the out-of-scope texts were cross-validated as a class.
			inZ, inY = append(inZ, z[:nIn]...), append(inY, ys[:nIn]...)
			oosZ = append(append(oosZ, oz...), z[nIn:]...)
		}
		c.tune(inZ, inY, oosZ, o.Threshold)
	} else {
		c.setThreshold(nil, nil, o.Threshold)
	}
	c.m = trainModel(xs, ys, k, d, sd, o, o.Seed)
	return c, nil
}

// Calibrate re-chooses the temperature and the out-of-scope threshold on a validation set,
// which beats cross-validation when one exists. Without out-of-scope examples in valid the
// threshold stays as it was.
func (c *Classifier) Calibrate(valid []Example) {
	var inZ, oosZ [][]float32
	var ys []int
	for _, e := range valid {
		z := c.m.scores(c.fz.vector(e.Text), nil)
		if e.Intent == OutOfScope {
			oosZ = append(oosZ, z)
			continue
		}
		if y := slices.Index(c.labels, e.Intent); y >= 0 {
			inZ, ys = append(inZ, z), append(ys, y)
		}
	}
	th := c.threshold
	if len(oosZ) > 0 {
		th = 0
	}
	c.tune(inZ, ys, oosZ, th)
}

// Intents lists the classes the classifier knows, in training order.
func (c *Classifier) Intents() []string { return slices.Clone(c.labels) }

// Threshold is the calibrated confidence below which a text is out of scope.
func (c *Classifier) Threshold() float64 { return c.threshold }

// Temperature divides the logits before the softmax.
func (c *Classifier) Temperature() float64 { return c.temp }

// InProcess reports that the classifier runs in this process (intents.InProcess).
func (c *Classifier) InProcess() bool { return true }

// Classify is Predict for the NLU interface; it never fails.
func (c *Classifier) Classify(_ context.Context, text string) (Result, error) {
	return c.Predict(text), nil
}

// maxRanked bounds Result.Ranked: nobody reads the 150th candidate.
const maxRanked = 10

// Predict classifies text.
func (c *Classifier) Predict(text string) Result {
	lang, _ := DetectLanguage(text)
	r := Result{Intent: OutOfScope, Language: lang}
	x := c.fz.vector(text)
	if len(x.idx) == 0 {
		return r
	}
	p := c.probs(c.m.scores(x, nil))
	// Insertion into a short list beats sorting all classes when there are 150 of them.
	// With the oos class p has one more class than labels, which only takes its share.
	p = p[:len(c.labels)]
	r.Ranked = make([]Scored, 0, min(len(p), maxRanked)+1)
	for i, v := range p {
		n := len(r.Ranked)
		if n == maxRanked && float64(v) <= r.Ranked[n-1].Confidence {
			continue
		}
		j := n
		for j > 0 && float64(v) > r.Ranked[j-1].Confidence {
			j--
		}
		r.Ranked = slices.Insert(r.Ranked, j, Scored{c.labels[i], float64(v)})
		r.Ranked = r.Ranked[:min(len(r.Ranked), maxRanked)]
	}
	r.Confidence = r.Ranked[0].Confidence
	if r.Confidence >= c.threshold {
		r.Intent = r.Ranked[0].Intent
	}
	return r
}

func (c *Classifier) probs(z []float32) []float32 {
	p := slices.Clone(z)
	softmax(p, c.temp)
	return p
}

// tune fits the temperature on in-scope held-out logits, then the threshold on them and
// the out-of-scope ones, unless fixed.
func (c *Classifier) tune(inZ [][]float32, ys []int, oosZ [][]float32, fixed float64) {
	if len(inZ) > 0 {
		c.temp = fitTemperature(inZ, ys)
	}
	c.setThreshold(c.heldOut(inZ, ys), c.heldOut(oosZ, nil), fixed)
}

type scored struct {
	p       float64
	correct bool
}

func (c *Classifier) heldOut(zs [][]float32, ys []int) []scored {
	out := make([]scored, len(zs))
	for i, z := range zs {
		p := c.probs(z)
		j := argmax(p[:len(c.labels)])
		out[i] = scored{float64(p[j]), ys != nil && j == ys[i]}
	}
	return out
}

func (c *Classifier) setThreshold(in, oos []scored, fixed float64) {
	switch {
	case fixed > 0:
		c.threshold = fixed
	case fixed < 0 || len(oos) == 0 || len(in) == 0:
		c.threshold = 0
	case c.oosRecall > 0:
		c.threshold = thresholdForRecall(oos, c.oosRecall)
	default:
		c.threshold = chooseThreshold(in, oos, c.oosWeight)
	}
}

// thresholdForRecall is the lowest threshold that rejects at least recall of the
// out-of-scope examples: just above the k-th lowest confidence among them.
func thresholdForRecall(oos []scored, recall float64) float64 {
	ps := make([]float64, len(oos))
	for i, s := range oos {
		ps[i] = s.p
	}
	slices.Sort(ps)
	k := int(math.Ceil(min(recall, 1)*float64(len(ps)) - 1e-9))
	switch {
	case k <= 0:
		return 0
	case k >= len(ps):
		return math.Nextafter(ps[len(ps)-1], math.Inf(1))
	case ps[k] > ps[k-1]:
		return (ps[k-1] + ps[k]) / 2
	default: // ties: rejecting the k-th rejects its equals too
		return math.Nextafter(ps[k-1], math.Inf(1))
	}
}

// chooseThreshold maximises in-scope accuracy (a rejection counts as an error) plus
// oosWeight times out-of-scope recall; both are rates, so that the few out-of-scope
// examples weigh as much as the many in-scope ones. Ties go to the middle of the best range.
func chooseThreshold(in, oos []scored, oosWeight float64) float64 {
	var ok, rej []float64
	for _, s := range in {
		if s.correct {
			ok = append(ok, s.p)
		}
	}
	for _, s := range oos {
		rej = append(rej, s.p)
	}
	slices.Sort(ok)
	slices.Sort(rej)
	cands := append(slices.Clone(ok), rej...)
	slices.Sort(cands)
	cands = slices.Compact(cands)
	best, lo, hi := -1.0, 0.0, 0.0
	inBest := false
	for _, t := range cands {
		// Texts scoring at least t are accepted.
		a := float64(len(ok)-lowerBound(ok, t)) / float64(len(in))
		r := float64(lowerBound(rej, t)) / float64(len(oos))
		switch s := a + oosWeight*r; {
		case s > best+1e-12:
			best, lo, hi, inBest = s, t, t, true
		case s > best-1e-12 && inBest:
			hi = t
		default:
			inBest = false
		}
	}
	// Move just below lo so the boundary example stays accepted; the midpoint of a plateau
	// is kept only when it is part of it.
	i := slices.Index(cands, lo)
	prev := 0.0
	if i > 0 {
		prev = cands[i-1]
	}
	if hi > lo {
		return (lo + hi) / 2
	}
	return (prev + lo) / 2
}

func lowerBound(s []float64, t float64) int {
	return sort.SearchFloat64s(s, t)
}

// fitTemperature minimises the negative log-likelihood over log T by golden-section search.
func fitTemperature(zs [][]float32, ys []int) float64 {
	nll := func(logT float64) float64 {
		t := math.Exp(logT)
		var sum float64
		for i, z := range zs {
			m := float64(slices.Max(z))
			var s float64
			for _, v := range z {
				s += math.Exp((float64(v) - m) / t)
			}
			sum += math.Log(s) - (float64(z[ys[i]])-m)/t
		}
		return sum
	}
	a, b := math.Log(0.02), math.Log(50.0)
	g := (math.Sqrt(5) - 1) / 2
	x1, x2 := b-g*(b-a), a+g*(b-a)
	f1, f2 := nll(x1), nll(x2)
	for b-a > 1e-3 {
		if f1 < f2 {
			b, x2, f2 = x2, x1, f1
			x1 = b - g*(b-a)
			f1 = nll(x1)
		} else {
			a, x1, f1 = x1, x2, f2
			x2 = a + g*(b-a)
			f2 = nll(x2)
		}
	}
	return math.Exp((a + b) / 2)
}

// crossValidate returns held-out logits of every in-scope example (stratified folds) and
// of every out-of-scope example.
func crossValidate(xs []sparse, ys []int, oosX []sparse, k, d, sd int, o Options) (inZ, oosZ [][]float32) {
	rng := rand.New(rand.NewPCG(o.Seed, 7))
	fold := make([]int, len(xs))
	byClass := make([][]int, k)
	for i, y := range ys {
		byClass[y] = append(byClass[y], i)
	}
	next := 0
	for _, idx := range byClass {
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for _, i := range idx {
			// Continue the round-robin across classes so small classes do not all start in fold 0.
			fold[i] = next % o.Folds
			next++
		}
	}
	inZ, oosZ = make([][]float32, len(xs)), make([][]float32, len(oosX))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for f := 0; f < o.Folds; f++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			var tx []sparse
			var ty []int
			for i := range xs {
				if fold[i] != f {
					tx, ty = append(tx, xs[i]), append(ty, ys[i])
				}
			}
			m := trainModel(tx, ty, k, d, sd, o, o.Seed+uint64(f)+1)
			for i := range xs {
				if fold[i] == f {
					inZ[i] = m.scores(xs[i], nil)
				}
			}
			for i := range oosX {
				if i%o.Folds == f {
					oosZ[i] = m.scores(oosX[i], nil)
				}
			}
		}()
	}
	wg.Wait()
	return inZ, oosZ
}

// linear is a multinomial logistic regression; w is laid out feature-major so that a
// sparse example touches contiguous rows.
type linear struct {
	k int
	w []float32
	b []float32
}

func (m *linear) scores(x sparse, z []float32) []float32 {
	if z == nil {
		z = make([]float32, m.k)
	}
	copy(z, m.b)
	z = z[:m.k]
	for j, f := range x.idx {
		v := x.val[j]
		row := m.w[int(f)*m.k : int(f+1)*m.k]
		// Unrolled by hand: this loop is most of the query time.
		c := 0
		for ; c+4 <= len(row); c += 4 {
			z[c] += v * row[c]
			z[c+1] += v * row[c+1]
			z[c+2] += v * row[c+2]
			z[c+3] += v * row[c+3]
		}
		for ; c < len(row); c++ {
			z[c] += v * row[c]
		}
	}
	return z
}

// trainModel trains the logistic regression over d features and adds NB times the naive
// Bayes weights of the first sd, the sparse ones.
func trainModel(xs []sparse, ys []int, k, d, sd int, o Options, seed uint64) *linear {
	m := trainLinear(xs, ys, k, d, o, seed)
	if o.NB > 0 {
		addNB(m, xs, ys, sd, o)
	}
	return m
}

// addNB adds to m NB times the log feature probabilities of a multinomial naive Bayes
// over the sparse features, less their mean over the classes (which changes no ranking
// and keeps the weights small); no prior, as the logistic regression is class balanced.
// The naive Bayes logits are linear in the features, so the sum is one linear model.
// Only the first ds features, the sparse ones, get naive Bayes weights.
func addNB(m *linear, xs []sparse, ys []int, ds int, o Options) {
	k := m.k
	sum := make([]float64, ds*k)
	tot := make([]float64, k)
	for i, x := range xs {
		y := ys[i]
		for j, f := range x.idx {
			if int(f) < ds && x.val[j] > 0 {
				sum[int(f)*k+y] += float64(x.val[j])
				tot[y] += float64(x.val[j])
			}
		}
	}
	a := o.NBAlpha
	for f := 0; f < ds; f++ {
		row := sum[f*k : (f+1)*k]
		var mean float64
		for c := range row {
			row[c] = math.Log((row[c] + a) / (tot[c] + a*float64(ds)))
			mean += row[c] / float64(k)
		}
		for c, v := range row {
			m.w[f*k+c] += float32(o.NB * (v - mean))
		}
	}
}

// trainLinear runs SGD with class-balanced weights and a linearly decaying rate. L2 decay
// is applied lazily to the rows an example touches, which keeps each step sparse.
func trainLinear(xs []sparse, ys []int, k, d int, o Options, seed uint64) *linear {
	m := &linear{k: k, w: make([]float32, d*k), b: make([]float32, k)}
	count := make([]float64, k)
	for _, y := range ys {
		count[y]++
	}
	cw := make([]float32, k)
	for c, n := range count {
		if n > 0 {
			cw[c] = float32(float64(len(ys)) / (float64(k) * n))
		}
	}
	rng := rand.New(rand.NewPCG(seed, 11))
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	z := make([]float32, k)
	active := make([]int, 0, k)
	total, step := float64(o.Epochs*len(xs)), 0.0
	for ep := 0; ep < o.Epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			lr := float32(o.LearningRate * (1 - step/total))
			step++
			x, y := xs[i], ys[i]
			softmax(m.scores(x, z), 1)
			z[y] -= 1
			active = active[:0]
			for c := range z {
				// Classes the model already rules out contribute nothing worth the update.
				if z[c] > 1e-5 || z[c] < -1e-5 {
					z[c] *= lr * cw[y]
					active = append(active, c)
				}
			}
			decay := 1 - lr*float32(o.L2)
			for j, f := range x.idx {
				v := x.val[j]
				row := m.w[int(f)*k : int(f+1)*k]
				for _, c := range active {
					row[c] = row[c]*decay - v*z[c]
				}
			}
			for _, c := range active {
				m.b[c] -= z[c]
			}
		}
	}
	return m
}

// softmax replaces z/t by its probabilities.
func softmax(z []float32, t float64) {
	mx := slices.Max(z)
	var s float64
	for i, v := range z {
		e := math.Exp(float64(v-mx) / t)
		z[i] = float32(e)
		s += e
	}
	for i := range z {
		z[i] = float32(float64(z[i]) / s)
	}
}

func argmax(p []float32) int {
	j := 0
	for i, v := range p {
		if v > p[j] {
			j = i
		}
	}
	return j
}
