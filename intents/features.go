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

// fit builds the vocabulary and IDF from the training texts and returns their vectors.
func (fz *featurizer) fit(texts []string) []sparse {
	fz.vocab, fz.stemmed, fz.fitting = map[uint64]int32{}, map[string][]string{}, true
	defer func() { fz.fitting = false }()
	var df []int32
	type kk struct {
		ws   []string
		w, c []uint64
	}
	all := make([]kk, len(texts))
	for i, t := range texts {
		ws, w, c := fz.keys(t)
		all[i] = kk{ws, w, c}
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
	n := float64(len(texts))
	fz.maxIDF = float32(math.Log(1+n) + 1)
	fz.idf = make([]float32, len(df))
	for j, d := range df {
		fz.idf[j] = float32(math.Log((1+n)/(1+float64(d))) + 1)
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
	for i, k := range all {
		out[i] = fz.vectorize(k.ws, k.w, k.c)
	}
	return out
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
	for _, ks := range [][]uint64{wk, ck} {
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
				norm += v * v
			}
			i = j
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
