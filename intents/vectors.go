package intents

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// Vectors are pretrained word vectors, looked up by folded word (lower case, no accents),
// as the classifier sees words. They add a dense block of features that carries what
// the training examples alone cannot: that "purchase" is near "buy".
type Vectors struct {
	dim   int
	index map[string]int32
	data  []float32 // len(index) rows of dim
}

// Dim is the length of one vector.
func (v *Vectors) Dim() int { return v.dim }

// Len is the number of words.
func (v *Vectors) Len() int { return len(v.index) }

// lookup returns the vector of a folded word.
func (v *Vectors) lookup(w string) ([]float32, bool) {
	i, ok := v.index[w]
	if !ok {
		return nil, false
	}
	return v.data[int(i)*v.dim : int(i+1)*v.dim], true
}

// LoadVectors reads word vectors in the text format of word2vec, fastText (.vec) and GloVe:
// one word a line followed by its components, separated by spaces, with an optional
// first line "COUNT DIM". Words are folded like the classifier's input; when two fold to
// the same word the first (in these files the more frequent) is kept. maxWords, when
// positive, stops after that many lines of vectors.
func LoadVectors(path string, maxWords int) (*Vectors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	v := &Vectors{index: map[string]int32{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<22)
	read := 0
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if line == 1 && len(fields) == 2 {
			// The header of word2vec and fastText files.
			if _, err := strconv.Atoi(fields[0]); err == nil {
				d, err := strconv.Atoi(fields[1])
				if err != nil || d <= 0 {
					return nil, fmt.Errorf("%s:%d: bad header %q: want \"COUNT DIM\"", path, line, sc.Text())
				}
				v.dim = d
				if n, _ := strconv.Atoi(fields[0]); n > 0 {
					if maxWords > 0 {
						n = min(n, maxWords)
					}
					// Sized once: growing a slice of 300k vectors by doubling would hold two copies.
					v.data = make([]float32, 0, min(n, 1<<22)*d)
				}
				continue
			}
		}
		if v.dim == 0 {
			v.dim = len(fields) - 1
			if v.dim < 1 {
				return nil, fmt.Errorf("%s:%d: want a word and its vector", path, line)
			}
		}
		if len(fields) != v.dim+1 {
			return nil, fmt.Errorf("%s:%d: %d components, want %d", path, line, len(fields)-1, v.dim)
		}
		if maxWords > 0 && read >= maxWords {
			break
		}
		read++
		vec := make([]float32, v.dim)
		for i, s := range fields[1:] {
			x, err := strconv.ParseFloat(s, 32)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%s:%d: component %d: bad number %q", path, line, i+1, s)
			}
			vec[i] = float32(x)
		}
		ws := fold(fields[0])
		if len(ws) != 1 {
			continue // punctuation, or several words once folded
		}
		if _, dup := v.index[ws[0]]; dup {
			continue
		}
		v.index[ws[0]] = int32(len(v.index))
		v.data = append(v.data, vec...)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(v.index) == 0 {
		return nil, fmt.Errorf("%s: no word vectors", path)
	}
	return v, nil
}
