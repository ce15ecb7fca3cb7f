package bot

import "testing"

// TestFirstNameBusiness: a contact name that reads as a business's, in the singular or the
// plural, gets no first name ("Hi Mama!" to "Mama Tolu Stores" would greet a shop by a
// word of its name); a person's keeps theirs.
func TestFirstNameBusiness(t *testing.T) {
	for name, want := range map[string]string{
		"Mama Tolu Stores":                   "",
		"Tolu & Co":                          "",
		"Adeyemi Trading Ltd":                "",
		"Papelería y Miscelánea El Progreso": "",
		"Miscelanea Dona Rosa":               "",
		"Lojas Silva":                        "",
		"Comercial Souza":                    "",
		"Mercado Bom Preço":                  "",
		"Ewan":                               "Ewan",
		"Carlos Torres":                      "Carlos",
		"Dolores Pérez":                      "Dolores",
		"Marcos Bastos":                      "Marcos",
		"Chinedu Okafor":                     "Chinedu",
	} {
		if got := firstName(name); got != want {
			t.Errorf("firstName(%q) = %q, want %q", name, got, want)
		}
	}
}
