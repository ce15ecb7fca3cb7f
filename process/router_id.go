package process

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxRouterIDLen bounds a router id. Real ids are short: a serial number, or GenieACS's
// <OUI>-<ProductClass>-<Serial> with each part percent-encoded (well under 200 bytes).
const MaxRouterIDLen = 256

// ErrBadRouterID: a router id that must not reach a URL (empty, too long, a dot segment,
// a slash, a control character). It is an ErrRejected: asking again will not help.
var ErrBadRouterID = fmt.Errorf("%w: bad router id", ErrRejected)

// CheckRouterID reports whether id may name a router in a request to the telco or the ACS.
// Whatever its source (a contact attribute an agent or a CRM wrote, a serial the customer
// typed), an id becomes one path segment, percent-encoded: it must not be able to name
// another path ("." and ".." are dot segments that clients and proxies resolve; a slash
// or a backslash would start another segment), carry control characters into logs and
// headers, or be long enough to hurt anyone. Spaces, '%' and mixed case are kept:
// GenieACS ids such as 202BC1-BM632w-000001 or 00259E-HG8245H%2D5-48575443 are real.
func CheckRouterID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("%w: empty", ErrBadRouterID)
	case len(id) > MaxRouterIDLen:
		return fmt.Errorf("%w: %d bytes, the limit is %d", ErrBadRouterID, len(id), MaxRouterIDLen)
	case !utf8.ValidString(id):
		return fmt.Errorf("%w: not UTF-8", ErrBadRouterID)
	case strings.TrimSpace(id) == "." || strings.TrimSpace(id) == "..":
		return fmt.Errorf("%w: %q is a dot segment", ErrBadRouterID, id)
	case strings.ContainsAny(id, `/\`):
		return fmt.Errorf("%w: %q has a slash", ErrBadRouterID, id)
	case strings.ContainsFunc(id, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }):
		return fmt.Errorf("%w: it has control characters", ErrBadRouterID)
	}
	return nil
}
