package intents

import (
	"math"
	"slices"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/portuguese"
	"github.com/blevesearch/snowballstem/spanish"
)

// sparse is an L2-normalised feature vector.
type sparse struct {
	idx []int32
	val []float32
}

// featurizer turns text into TF-IDF vectors of two blocks, words (tokens, stems, bigrams)
// and character n-grams within word boundaries, each L2-normalised and then weighted so
// that neither dominates: words carry meaning, character n-grams survive typos.
type featurizer struct {
	minN, maxN int
	vocab      map[uint64]int32
	idf        []float32
	// stemmed caches the stems of training words: stemming in three languages is a
	// good part of a query's time. Written only by fit, so queries can share it.
	stemmed map[string][]string
	fitting bool
	// vec, when set, adds a dense block after the sparse ones from the words' pretrained
	// vectors (see dense); center is the training texts' mean block before centering.
	vec       *Vectors
	vecWeight float32
	maxIDF    float32
	center    []float64
	// expandCos, when positive, maps a query word that no training text has to the
	// training word nearest by vector cosine, if at least expandCos, whose word and stem
	// features are added at expandWeight times their TF-IDF (see expand); nbWords and
	// nbVecs (unit rows) are the training words that have vectors.
	expandCos, expandWeight float32
	nbWords                 []string
	nbVecs                  []float32
	// context adds word-context features to the word block (Options.NoWordContext): the
	// word two back, the first and the last word marked as such, and bigrams of English
	// stems; enStemmed caches those stems as stemmed does.
	context   bool
	enStemmed map[string]string
	// minDF, when above 1, keeps only the keys of at least that many training texts.
	minDF int
}

// dims is the number of features.
func (fz *featurizer) dims() int {
	d := len(fz.idf)
	if fz.vec != nil {
		d += fz.vec.dim
	}
	return d
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashStr(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hashKind(kind byte) uint64 { return (fnvOffset ^ uint64(kind)) * fnvPrime }

// stems adds the stem of w in each language; the language of a short message is often
// unknown, and a wrong-language stem only adds a rarely-seen feature.
func stems(w string, dst []string) []string {
	for _, stem := range [...]func(*snowballstem.Env) bool{english.Stem, spanish.Stem, portuguese.Stem} {
		env := snowballstem.NewEnv(w)
		stem(env)
		if s := env.Current(); s != w && !slices.Contains(dst, s) {
			dst = append(dst, s)
		}
	}
	return dst
}

// keys returns the hashed word-block and char-block features of text, with repeats.
func (fz *featurizer) keys(text string) (ws []string, wk, ck []uint64) {
	ws = words(text)
	offs := make([]int, 0, 32)
	for i, w := range ws {
		wk = append(wk, hashStr(hashKind('w'), w))
		st, ok := fz.stemmed[w]
		if !ok {
			st = stems(w, nil)
			if fz.fitting {
				fz.stemmed[w] = st
			}
		}
		for _, s := range st {
			wk = append(wk, hashStr(hashKind('s'), s))
		}
		if i > 0 {
			wk = append(wk, hashStr(hashStr(hashKind('b'), ws[i-1])^0xff, w))
		}
		if fz.context {
			wk = fz.contextKeys(wk, ws, i)
		}
		p := " " + w + " "
		offs = offs[:0]
		for j := range p {
			offs = append(offs, j)
		}
		offs = append(offs, len(p))
		nr := len(offs) - 1
		for n := fz.minN; n <= fz.maxN; n++ {
			if n > nr {
				break
			}
			for j := 0; j+n <= nr; j++ {
				ck = append(ck, hashStr(hashKind('c'), p[offs[j]:offs[j+n]]))
			}
		}
	}
	return ws, wk, ck
}

// contextKeys appends the word-context features of word i of ws (Options.NoWordContext).
func (fz *featurizer) contextKeys(wk []uint64, ws []string, i int) []uint64 {
	w := ws[i]
	if i > 1 {
		wk = append(wk, hashStr(hashStr(hashKind('k'), ws[i-2])^0xff, w))
	}
	if i == 0 {
		wk = append(wk, hashStr(hashKind('<'), w))
	}
	if i == len(ws)-1 {
		wk = append(wk, hashStr(hashKind('>'), w))
	}
	if i > 0 {
		wk = append(wk, hashStr(hashStr(hashKind('m'), fz.enStem(ws[i-1]))^0xff, fz.enStem(w)))
	}
	return wk
}

// enStem is the English snowball stem of w, cached for the training words.
func (fz *featurizer) enStem(w string) string {
	if s, ok := fz.enStemmed[w]; ok {
		return s
	}
	env := snowballstem.NewEnv(w)
	english.Stem(env)
	s := env.Current()
	if fz.fitting {
		fz.enStemmed[w] = s
	}
	return s
}

// fit builds the vocabulary and IDF from the training texts and returns their vectors.
func (fz *featurizer) fit(texts []string) []sparse {
	fz.vocab, fz.stemmed, fz.enStemmed, fz.fitting = map[uint64]int32{}, map[string][]string{}, map[string]string{}, true
	defer func() { fz.fitting = false }()
	var df []int32
	// Without word vectors the texts' keys are not kept between the two passes but
	// computed again (the stems are cached): a few thousand texts' keys are tens of MB.
	keep := fz.vec != nil
	var all []kk
	if keep {
		all = make([]kk, len(texts))
	}
	for i, t := range texts {
		ws, w, c := fz.keys(t)
		if keep {
			all[i] = kk{ws, w, c}
		}
		for _, ks := range [][]uint64{w, c} {
			for _, k := range uniq(ks) {
				j, ok := fz.vocab[k]
				if !ok {
					j = int32(len(df))
					fz.vocab[k] = j
					df = append(df, 0)
				}
				df[j]++
			}
		}
	}
	if fz.minDF > 1 {
		// Keys seen in fewer texts than minDF (one writer's typo, a word once) are left
		// out: they weigh little and hold most of the memory.
		pruned := map[uint64]int32{}
		var kept []int32
		for k, j := range fz.vocab {
			if df[j] >= int32(fz.minDF) {
				pruned[k] = int32(len(kept))
				kept = append(kept, df[j])
			}
		}
		fz.vocab, df = pruned, kept
	}
	n := float64(len(texts))
	fz.maxIDF = float32(math.Log(1+n) + 1)
	fz.idf = make([]float32, len(df))
	for j, d := range df {
		fz.idf[j] = float32(math.Log((1+n)/(1+float64(d))) + 1)
	}
	if fz.vec != nil && fz.expandCos > 0 {
		fz.fitNeighbours(all)
	}
	if fz.vec != nil {
		fz.center = make([]float64, fz.vec.dim)
		for _, k := range all {
			for i, c := range fz.denseRaw(k.ws) {
				fz.center[i] += c / n
			}
		}
	}
	out := make([]sparse, len(texts))
	for i, t := range texts {
		if keep {
			out[i] = fz.vectorize(all[i].ws, all[i].w, all[i].c)
		} else {
			out[i] = fz.vectorize(fz.keys(t))
		}
	}
	return out
}

// kk holds the keys of one training text.
type kk struct {
	ws   []string
	w, c []uint64
}

func uniq(ks []uint64) []uint64 {
	s := slices.Clone(ks)
	slices.Sort(s)
	return slices.Compact(s)
}

func (fz *featurizer) vector(text string) sparse { return fz.vectorize(fz.keys(text)) }

// vectorize weighs each block with sublinear TF times IDF and normalises it.
func (fz *featurizer) vectorize(ws []string, wk, ck []uint64) sparse {
	var x sparse
	var ek []uint64
	if fz.expandCos > 0 && !fz.fitting {
		ek = fz.expand(ws)
	}
	for b, ks := range [][]uint64{wk, ck} {
		slices.Sort(ks)
		start := len(x.idx)
		var norm float64
		for i := 0; i < len(ks); {
			j := i
			for j < len(ks) && ks[j] == ks[i] {
				j++
			}
			if f, ok := fz.vocab[ks[i]]; ok {
				v := (1 + math.Log(float64(j-i))) * float64(fz.idf[f])
				x.idx = append(x.idx, f)
				x.val = append(x.val, float32(v))
			}
			i = j
		}
		if b == 0 && len(ek) > 0 {
			fz.addExpansion(&x, start, ek)
		}
		for _, v := range x.val[start:] {
			norm += float64(v) * float64(v)
		}
		if norm > 0 {
			s := float32(1 / math.Sqrt(norm))
			for i := start; i < len(x.val); i++ {
				x.val[i] *= s
			}
		}
	}
	if fz.vec != nil {
		fz.dense(ws, &x)
	}
	return x
}

// denseRaw returns the IDF-weighted average of the vectors of the words ws, L2-normalised,
// or nil when none has a vector. A word the training texts lack weighs the most, as a
// training word seen once would.
func (fz *featurizer) denseRaw(ws []string) []float64 {
	v := fz.vec
	var sum []float64
	for _, w := range ws {
		vec, ok := v.lookup(w)
		if !ok {
			continue
		}
		if sum == nil {
			sum = make([]float64, v.dim)
		}
		wt := float64(fz.maxIDF)
		if f, ok := fz.vocab[hashStr(hashKind('w'), w)]; ok {
			wt = float64(fz.idf[f])
		}
		for i, c := range vec {
			sum[i] += wt * float64(c)
		}
	}
	if sum == nil || !normalize(sum, 1) {
		return nil
	}
	return sum
}

// dense appends the word-vector block of ws to x: the average direction less the mean of
// the training texts' (averaged word vectors share a large common component that says
// nothing about the intent), normalised to vecWeight. Its features follow the sparse ones.
func (fz *featurizer) dense(ws []string, x *sparse) {
	u := fz.denseRaw(ws)
	if u == nil {
		return
	}
	for i := range u {
		u[i] -= fz.center[i]
	}
	if !normalize(u, float64(fz.vecWeight)) {
		return
	}
	base := int32(len(fz.idf))
	for i, c := range u {
		x.idx = append(x.idx, base+int32(i))
		x.val = append(x.val, float32(c))
	}
}

// normalize scales u to the given norm; false when u is zero.
func normalize(u []float64, norm float64) bool {
	var n float64
	for _, c := range u {
		n += c * c
	}
	if n == 0 {
		return false
	}
	s := norm / math.Sqrt(n)
	for i := range u {
		u[i] *= s
	}
	return true
}

// fitNeighbours indexes the training words that have vectors, for expand.
func (fz *featurizer) fitNeighbours(all []kk) {
	fz.nbWords, fz.nbVecs = nil, nil
	seen := map[string]bool{}
	for _, k := range all {
		for _, w := range k.ws {
			if seen[w] {
				continue
			}
			seen[w] = true
			vec, ok := fz.vec.lookup(w)
			if !ok {
				continue
			}
			u := make([]float64, len(vec))
			for i, c := range vec {
				u[i] = float64(c)
			}
			if !normalize(u, 1) {
				continue
			}
			fz.nbWords = append(fz.nbWords, w)
			for _, c := range u {
				fz.nbVecs = append(fz.nbVecs, float32(c))
			}
		}
	}
}

// expand returns the word-block keys (word and stems) of the training words nearest to
// the words of ws that no training text has, one per such word, when close enough.
func (fz *featurizer) expand(ws []string) []uint64 {
	var ek []uint64
	dim := fz.vec.dim
	for _, w := range ws {
		if _, ok := fz.vocab[hashStr(hashKind('w'), w)]; ok {
			continue
		}
		vec, ok := fz.vec.lookup(w)
		if !ok {
			continue
		}
		var n float64
		for _, c := range vec {
			n += float64(c) * float64(c)
		}
		if n == 0 {
			continue
		}
		best, bi := float32(-2), -1
		for r := 0; r < len(fz.nbWords); r++ {
			row := fz.nbVecs[r*dim : (r+1)*dim]
			var d float32
			for i, c := range vec {
				d += c * row[i]
			}
			if d > best {
				best, bi = d, r
			}
		}
		if bi < 0 || float64(best) < float64(fz.expandCos)*math.Sqrt(n) {
			continue
		}
		nb := fz.nbWords[bi]
		ek = append(ek, hashStr(hashKind('w'), nb))
		for _, s := range fz.stemmed[nb] {
			ek = append(ek, hashStr(hashKind('s'), s))
		}
	}
	return ek
}

// addExpansion adds the expansion keys ek to the word block of x, which starts at start,
// at expandWeight times their TF-IDF.
func (fz *featurizer) addExpansion(x *sparse, start int, ek []uint64) {
	slices.Sort(ek)
	for i := 0; i < len(ek); {
		j := i
		for j < len(ek) && ek[j] == ek[i] {
			j++
		}
		if f, ok := fz.vocab[ek[i]]; ok {
			v := float32((1 + math.Log(float64(j-i))) * float64(fz.idf[f]) * float64(fz.expandWeight))
			if p := slices.Index(x.idx[start:], f); p >= 0 {
				x.val[start+p] += v
			} else {
				x.idx = append(x.idx, f)
				x.val = append(x.val, v)
			}
		}
		i = j
	}
}
