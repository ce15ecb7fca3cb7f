package pipeline

import (
	"encoding/json"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cwbot/cwbot/bot"
	"github.com/cwbot/cwbot/chatwoot"
)

func randStr(r *rand.Rand) string {
	b := make([]byte, r.Intn(6))
	for i := range b {
		b[i] = byte(r.Intn(256))
	}
	return strings.ToValidUTF8(string(b), "?")
}

func randVal(r *rand.Rand, d int) any {
	switch r.Intn(8) {
	case 0:
		return nil
	case 1:
		return r.Intn(2) == 0
	case 2:
		return r.NormFloat64() * 1e6
	case 3:
		return float64(r.Int63())
	case 4:
		b := make([]byte, r.Intn(6))
		for i := range b {
			b[i] = byte(r.Intn(256))
		}
		return string(b)
	case 5:
		if d > 2 {
			return "x"
		}
		m := map[string]any{}
		for i := 0; i < r.Intn(4); i++ {
			m[randStr(r)] = randVal(r, d+1)
		}
		return m
	case 6:
		if d > 2 {
			return 1.0
		}
		var a []any
		for i := 0; i < r.Intn(4); i++ {
			a = append(a, randVal(r, d+1))
		}
		return a
	}
	return "\u2028<&>\"\\\x00"
}

func TestExploreDecode(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	zones := []string{"UTC", "America/Sao_Paulo", "Asia/Kolkata", "Local"}
	for i := 0; i < 20000; i++ {
		loc, _ := time.LoadLocation(zones[r.Intn(len(zones))])
		tm := time.Unix(r.Int63n(4e9)-2e9, r.Int63n(1e9)).In(loc)
		attrs := map[string]any{}
		for j := 0; j < 4; j++ {
			attrs["k"+string(rune('a'+j))] = randVal(r, 0)
		}
		c := bot.Conversation{AccountID: 1, ID: 2, Attributes: attrs, LastCustomerAt: tm, UpdatedAt: tm, StatusAt: r.Float64() * 2e9,
			Flood: bot.Flood{Since: tm}, Contact: bot.Contact{Attributes: attrs, Name: randStr(r)}}
		if r.Intn(2) == 0 {
			c.Attributes = map[string]any{}
		}
		raw, err := json.Marshal(c)
		if err != nil {
			continue
		}
		var a, b bot.Conversation
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatal(err)
		}
		if err := chatwoot.DecodeJSON(raw, &b); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		ra, _ := json.Marshal(a)
		rb, _ := json.Marshal(b)
		if string(ra) != string(rb) || !reflect.DeepEqual(a.Attributes, b.Attributes) {
			t.Fatalf("differ\n%s\n%s\n%s", raw, ra, rb)
		}
	}
}
