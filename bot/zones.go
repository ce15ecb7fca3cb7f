package bot

import (
	"fmt"
	"time"
)

// The time an outage should be over is told on the business's clock (Bot.Zone). In a
// country of one time zone that clock is the customer's; in one of several (the United
// States and Canada, Brazil, Mexico, Spain with the Canaries, ...) a customer in Chicago
// or Manaus reads "around 9:49 AM" as their own time, so the zone is named with it
// ("around 9:49 AM Eastern time", "por volta das 15h32, horário de Brasília"). "Which
// time zone is that?" gets it named, in any country.

const (
	// a time with its zone named: "9:49 AM Eastern time", "15h32, horário de Brasília"
	msgTimeInZone msgKey = "time_in_zone"
	// "which time zone is that?" once the outage's end was told
	msgOutageZone msgKey = "outage_zone"
	// a zone the catalog has no name for, by its offset from UTC: "UTC-3"
	msgZoneOffset msgKey = "zone_offset"
)

// The zones' names (content.yaml), each as a time told in it is read: "Eastern time",
// "horário de Brasília".
const (
	msgZoneAuCentral      msgKey = "zone_au_central"
	msgZoneAuEastern      msgKey = "zone_au_eastern"
	msgZoneAuNorthern     msgKey = "zone_au_northern"
	msgZoneAuQueensland   msgKey = "zone_au_queensland"
	msgZoneAuWestern      msgKey = "zone_au_western"
	msgZoneBrAcre         msgKey = "zone_br_acre"
	msgZoneBrAmazon       msgKey = "zone_br_amazon"
	msgZoneBrBrasilia     msgKey = "zone_br_brasilia"
	msgZoneBrNoronha      msgKey = "zone_br_noronha"
	msgZoneCaSaskatchewan msgKey = "zone_ca_saskatchewan"
	msgZoneClContinental  msgKey = "zone_cl_continental"
	msgZoneClEaster       msgKey = "zone_cl_easter"
	msgZoneClMagallanes   msgKey = "zone_cl_magallanes"
	msgZoneEcContinental  msgKey = "zone_ec_continental"
	msgZoneEcGalapagos    msgKey = "zone_ec_galapagos"
	msgZoneEsCanary       msgKey = "zone_es_canary"
	msgZoneEsPeninsula    msgKey = "zone_es_peninsula"
	msgZoneMxCentral      msgKey = "zone_mx_central"
	msgZoneMxNorthwest    msgKey = "zone_mx_northwest"
	msgZoneMxPacific      msgKey = "zone_mx_pacific"
	msgZoneMxSoutheast    msgKey = "zone_mx_southeast"
	msgZonePtAzores       msgKey = "zone_pt_azores"
	msgZonePtMainland     msgKey = "zone_pt_mainland"
	msgZoneUsAlaska       msgKey = "zone_us_alaska"
	msgZoneUsArizona      msgKey = "zone_us_arizona"
	msgZoneUsAtlantic     msgKey = "zone_us_atlantic"
	msgZoneUsCentral      msgKey = "zone_us_central"
	msgZoneUsEastern      msgKey = "zone_us_eastern"
	msgZoneUsHawaii       msgKey = "zone_us_hawaii"
	msgZoneUsMountain     msgKey = "zone_us_mountain"
	msgZoneUsNewfoundland msgKey = "zone_us_newfoundland"
	msgZoneUsPacific      msgKey = "zone_us_pacific"
)

// zoneNames are the names of the time zones of countries with several, by the zones'
// IANA names: the zone in which a time told is to be read.
var zoneNames = map[string]msgKey{
	// the United States and Canada (+1)
	"America/New_York": msgZoneUsEastern, "America/Detroit": msgZoneUsEastern, "America/Toronto": msgZoneUsEastern,
	"America/Indiana/Indianapolis": msgZoneUsEastern, "America/Kentucky/Louisville": msgZoneUsEastern, "America/Montreal": msgZoneUsEastern,
	"America/Chicago": msgZoneUsCentral, "America/Winnipeg": msgZoneUsCentral, "America/Regina": msgZoneCaSaskatchewan,
	"America/Denver": msgZoneUsMountain, "America/Phoenix": msgZoneUsArizona, "America/Edmonton": msgZoneUsMountain, "America/Boise": msgZoneUsMountain,
	"America/Los_Angeles": msgZoneUsPacific, "America/Vancouver": msgZoneUsPacific,
	"America/Anchorage": msgZoneUsAlaska, "Pacific/Honolulu": msgZoneUsHawaii,
	"America/Halifax": msgZoneUsAtlantic, "America/St_Johns": msgZoneUsNewfoundland,
	// Brazil (+55)
	"America/Sao_Paulo": msgZoneBrBrasilia, "America/Bahia": msgZoneBrBrasilia, "America/Fortaleza": msgZoneBrBrasilia,
	"America/Recife": msgZoneBrBrasilia, "America/Belem": msgZoneBrBrasilia, "America/Maceio": msgZoneBrBrasilia,
	"America/Araguaina": msgZoneBrBrasilia, "America/Santarem": msgZoneBrBrasilia,
	"America/Manaus": msgZoneBrAmazon, "America/Cuiaba": msgZoneBrAmazon, "America/Campo_Grande": msgZoneBrAmazon,
	"America/Porto_Velho": msgZoneBrAmazon, "America/Boa_Vista": msgZoneBrAmazon,
	"America/Rio_Branco": msgZoneBrAcre, "America/Eirunepe": msgZoneBrAcre, "America/Noronha": msgZoneBrNoronha,
	// Mexico (+52)
	"America/Mexico_City": msgZoneMxCentral, "America/Monterrey": msgZoneMxCentral, "America/Merida": msgZoneMxCentral,
	"America/Matamoros": msgZoneMxCentral, "America/Bahia_Banderas": msgZoneMxCentral,
	"America/Cancun": msgZoneMxSoutheast, "America/Mazatlan": msgZoneMxPacific, "America/Hermosillo": msgZoneMxPacific,
	"America/Chihuahua": msgZoneMxCentral, "America/Tijuana": msgZoneMxNorthwest,
	// Spain (+34), Portugal (+351), Chile (+56), Ecuador (+593)
	"Europe/Madrid": msgZoneEsPeninsula, "Atlantic/Canary": msgZoneEsCanary,
	"Europe/Lisbon": msgZonePtMainland, "Atlantic/Azores": msgZonePtAzores, "Atlantic/Madeira": msgZonePtMainland,
	"America/Santiago": msgZoneClContinental, "Pacific/Easter": msgZoneClEaster, "America/Punta_Arenas": msgZoneClMagallanes,
	"America/Guayaquil": msgZoneEcContinental, "Pacific/Galapagos": msgZoneEcGalapagos,
	// Australia (+61)
	"Australia/Sydney": msgZoneAuEastern, "Australia/Melbourne": msgZoneAuEastern, "Australia/Brisbane": msgZoneAuQueensland,
	"Australia/Hobart": msgZoneAuEastern, "Australia/Adelaide": msgZoneAuCentral, "Australia/Darwin": msgZoneAuNorthern,
	"Australia/Perth": msgZoneAuWestern,
	// the legacy names the time zone database keeps as links (BOT_TIMEZONE=US/Eastern)
	"US/Eastern": msgZoneUsEastern, "US/Central": msgZoneUsCentral, "US/Mountain": msgZoneUsMountain, "US/Arizona": msgZoneUsArizona,
	"US/Pacific": msgZoneUsPacific, "US/Alaska": msgZoneUsAlaska, "US/Hawaii": msgZoneUsHawaii, "EST5EDT": msgZoneUsEastern,
	"CST6CDT": msgZoneUsCentral, "MST7MDT": msgZoneUsMountain, "PST8PDT": msgZoneUsPacific,
	"Canada/Eastern": msgZoneUsEastern, "Canada/Central": msgZoneUsCentral, "Canada/Saskatchewan": msgZoneCaSaskatchewan,
	"Canada/Mountain": msgZoneUsMountain, "Canada/Pacific": msgZoneUsPacific, "Canada/Atlantic": msgZoneUsAtlantic,
	"Canada/Newfoundland": msgZoneUsNewfoundland,
	"Brazil/East":         msgZoneBrBrasilia, "Brazil/West": msgZoneBrAmazon, "Brazil/Acre": msgZoneBrAcre, "Brazil/DeNoronha": msgZoneBrNoronha,
	"Mexico/General": msgZoneMxCentral, "Mexico/BajaSur": msgZoneMxPacific, "Mexico/BajaNorte": msgZoneMxNorthwest,
	"Portugal": msgZonePtMainland, "Chile/Continental": msgZoneClContinental, "Chile/EasterIsland": msgZoneClEaster,
	"Australia/NSW": msgZoneAuEastern, "Australia/ACT": msgZoneAuEastern, "Australia/Canberra": msgZoneAuEastern,
	"Australia/Victoria": msgZoneAuEastern, "Australia/Tasmania": msgZoneAuEastern, "Australia/Queensland": msgZoneAuQueensland,
	"Australia/South": msgZoneAuCentral, "Australia/North": msgZoneAuNorthern, "Australia/West": msgZoneAuWestern,
}

// zoneName is the name of loc, a zone of a country with several, in lang; "" for a zone of
// another country (its clock is the customer's).
func (b *Bot) zoneName(lang string, loc *time.Location) string {
	if loc == nil {
		return ""
	}
	if key, ok := zoneNames[loc.String()]; ok {
		return b.t(lang, key)
	}
	return ""
}

// zoneNameOrOffset is zoneName, or for a zone it has no name for, its offset from UTC at
// at ("UTC-3"): what "which time zone is that?" is told.
func (b *Bot) zoneNameOrOffset(lang string, at time.Time) string {
	if name := b.zoneName(lang, at.Location()); name != "" {
		return name
	}
	_, off := at.Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	h, m := off/3600, off%3600/60
	offset := fmt.Sprintf("%s%d", sign, h)
	if m != 0 {
		offset += fmt.Sprintf(":%02d", m)
	}
	if off == 0 {
		offset = ""
	}
	return b.tf(lang, msgZoneOffset, "offset", offset)
}

// zoned is clock, a time of day at at, with at's zone named when its country has several.
func (b *Bot) zoned(lang, clock string, at time.Time) string {
	zone := b.zoneName(lang, at.Location())
	if zone == "" {
		return clock
	}
	return b.tf(lang, msgTimeInZone, "time", clock, "zone", zone)
}
