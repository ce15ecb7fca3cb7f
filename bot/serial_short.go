package bot

// A serial read from what the customer typed as a support lead would: the letter l in a
// group of digits is a one ("zx 9900 ab l2" is ZX-9900-AB12), told at the confirmation as
// the zeros are; and with the usual shape of the serials configured (Bot.RouterShape), a
// serial a character short of it ("ZX9900AB1", "zx-990-ab12") is asked to be checked
// against the label, never proposed for update at once. Typed the same again, it is
// taken: the customer checked it, and the telco answers for it.

const (
	// the serial was typed with the letter l among its digits: read with ones
	msgSerialOnes msgKey = "serial_ones"
	// with the letter O and the letter l among its digits: read with zeros and ones
	msgSerialZerosOnes msgKey = "serial_zeros_ones"
	// the serial is a character short of the usual shape: check it
	msgSerialShort msgKey = "serial_short"
)

// serialShort asks to check a serial a character short of the usual shape, the first time
// it is typed; nil when it is not short, or typed the same again.
func (b *Bot) serialShort(t *turn, serial string) []Action {
	c := t.c
	if !t.r.SerialShort || c.ShortSerial != "" && sameSerial(c.ShortSerial, serial) {
		c.ShortSerial = ""
		return nil
	}
	c.ShortSerial = serial
	c.ask(StateAskSerial, nil)
	c.BadAnswers = 0
	return []Action{say(b.tf(b.voice(c), msgSerialShort, "router", serial))}
}
