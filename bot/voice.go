package bot

import (
	"strings"
	"unicode"
)

// A conversation is read in its language (en, es, pt: what the customer writes) and
// answered in its voice: that language, or the catalog's regional variant of it for where
// the customer is. A customer in Portugal who writes Portuguese is answered in
// European Portuguese (pt-PT: "está a atualizar", "equipa", "telemóvel"), one in Brazil
// in the Brazilian texts; a Portuguese number writing Spanish gets the Spanish ones. The
// contact's locale tells the region (pt_PT), else the phone number's country code.

// voice is the catalog language c is answered in: its language's variant for the
// contact's region when the catalog has one ("pt-PT"), else its language.
func (b *Bot) voice(c *Conversation) string {
	if region := c.Contact.region(); region != "" {
		if v := c.Language + "-" + region; b.catalog().hasLanguage(v) {
			return v
		}
	}
	return c.Language
}

// region is the contact's country (ISO 3166 alpha-2, upper case), from their locale's
// region ("pt_PT", "es-ES") or else their phone number's country code; "" when neither tells.
func (ct Contact) region() string {
	if _, r, ok := strings.Cut(strings.ReplaceAll(ct.Locale, "_", "-"), "-"); ok {
		if r = strings.ToUpper(r); len(r) == 2 && strings.IndexFunc(r, func(c rune) bool { return c < 'A' || c > 'Z' }) < 0 {
			return r
		}
	}
	digits := strings.TrimLeftFunc(strings.TrimSpace(ct.Phone), func(r rune) bool { return r == '+' || unicode.IsSpace(r) })
	best, region := 0, ""
	for code, r := range callingCodes {
		if len(code) > best && strings.HasPrefix(digits, code) {
			best, region = len(code), r
		}
	}
	return region
}

// callingCodes are the countries, by international calling code, where the catalog's
// languages are spoken: an operator's variant for any of them (es-ES, en-GB, pt-AO) is
// chosen by the phone number alone. +1 is the United States' (and Canada's, and the
// Caribbean's but the Spanish-speaking ones').
var callingCodes = map[string]string{
	// Portuguese
	"55": "BR", "351": "PT", "244": "AO", "258": "MZ", "238": "CV", "245": "GW", "239": "ST", "670": "TL",
	// Spanish
	"34": "ES", "52": "MX", "54": "AR", "56": "CL", "57": "CO", "51": "PE", "58": "VE", "593": "EC",
	"591": "BO", "595": "PY", "598": "UY", "506": "CR", "507": "PA", "503": "SV", "502": "GT", "504": "HN",
	"505": "NI", "53": "CU", "1809": "DO", "1829": "DO", "1849": "DO", "1787": "PR", "1939": "PR", "240": "GQ",
	// English
	"1": "US", "44": "GB", "353": "IE", "61": "AU", "64": "NZ", "27": "ZA", "91": "IN", "234": "NG",
	"254": "KE", "233": "GH", "65": "SG", "63": "PH", "1876": "JM", "1868": "TT",
}
