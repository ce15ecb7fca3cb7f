package intents
import ("testing";"runtime")
func heap() uint64 { runtime.GC(); runtime.GC(); var m runtime.MemStats; runtime.ReadMemStats(&m); return m.HeapAlloc }
func TestZZ2(t *testing.T) {
	defaultLexicon(); Default()
	h0 := heap()
	m := defaultActModel()
	h1 := heap()
	t.Logf("retained %.1f MB; features %d, weights %.1f MB, stemmed %d", float64(h1-h0)/1e6, len(m.fz.idf), float64(len(m.w)*4)/1e6, len(m.fz.stemmed))
	var small int
	for f := 0; f < len(m.fz.idf); f++ { mx := float32(0); for _, w := range m.w[f*m.k:(f+1)*m.k] { if w > mx { mx = w } else if -w > mx { mx = -w } }; if mx < 0.05 { small++ } }
	t.Logf("features with all |w| < 0.05: %d", small)
}
