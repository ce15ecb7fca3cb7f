package process

import (
	"context"
	"fmt"
	"strings"
)

var (
	_ StarterFor = (*GenieACSRunner)(nil)
	_ CheckerFor = (*GenieACSRunner)(nil)
)

// CheckerFor is a Checker that also checks that the router is the requester's, so that a
// router that is not theirs is refused before the customer hears the update was asked for.
type CheckerFor interface {
	CheckFor(ctx context.Context, routerID string, who Requester) error
}

// CheckFor is Check, then the owner check of StartFor.
func (r *GenieACSRunner) CheckFor(ctx context.Context, routerID string, who Requester) error {
	if err := r.Check(ctx, routerID); err != nil {
		return err
	}
	return r.checkOwner(ctx, routerID, who)
}

// StartFor is Start for who. A router id the customer typed (who.Typed) is only used when
// the ACS says the device is the contact's: a tag <OwnerTag><phone digits> on the device,
// or the parameter OwnerParam holding the phone. Without either configured, or without a
// phone to compare, a typed id is refused (ErrOwnerUnverified), and one that does not match
// is not the contact's (ErrNotYours): in both cases no task is queued. Ids from the contact
// attribute (an agent or a CRM set them) are not checked.
func (r *GenieACSRunner) StartFor(ctx context.Context, routerID, reference string, who Requester) (Status, error) {
	if err := CheckRouterID(routerID); err != nil {
		return Status{}, fmt.Errorf("genieacs: start update: %w", err)
	}
	if err := r.checkOwner(ctx, routerID, who); err != nil {
		return Status{}, err
	}
	return r.Start(ctx, routerID, reference)
}

// checkOwner reads the device's owner tag and parameter and compares them with who's phone,
// digits only: "+55 11 98765-4321" and "5511987654321" are the same number.
func (r *GenieACSRunner) checkOwner(ctx context.Context, routerID string, who Requester) error {
	const op = "genieacs: check owner"
	if !who.Typed {
		return nil
	}
	if r.cfg.OwnerTag == "" && r.cfg.OwnerParam == "" {
		return fmt.Errorf("%s: %q was typed by the customer and no owner tag or parameter is configured: %w", op, routerID, ErrOwnerUnverified)
	}
	phone := phoneDigits(who.Phone)
	if phone == "" {
		return fmt.Errorf("%s: the contact has no phone number to compare with %q: %w", op, routerID, ErrOwnerUnverified)
	}
	var proj []string
	if r.cfg.OwnerTag != "" {
		proj = append(proj, "_tags")
	}
	if r.cfg.OwnerParam != "" {
		proj = append(proj, r.cfg.OwnerParam)
	}
	var devs []map[string]any
	if err := r.query(ctx, op, "devices", map[string]any{"_id": routerID}, strings.Join(proj, ","), &devs); err != nil {
		return err
	}
	if len(devs) == 0 {
		return fmt.Errorf("%s: device %q: %w", op, routerID, ErrUnknownRouter)
	}
	dev := devs[0]
	if r.cfg.OwnerTag != "" {
		tags, _ := dev["_tags"].([]any)
		for _, t := range tags {
			s, _ := t.(string)
			if rest, ok := strings.CutPrefix(s, r.cfg.OwnerTag); ok && phoneDigits(rest) == phone {
				return nil
			}
		}
	}
	if r.cfg.OwnerParam != "" {
		var node any = dev
		for _, part := range strings.Split(r.cfg.OwnerParam, ".") {
			m, _ := node.(map[string]any)
			node = m[part]
		}
		if m, ok := node.(map[string]any); ok && m["_value"] != nil && phoneDigits(fmt.Sprint(m["_value"])) == phone {
			return nil
		}
	}
	return fmt.Errorf("%s: device %q is not registered to the contact's phone: %w", op, routerID, ErrNotYours)
}

// phoneDigits is a phone number's digits, without the formatting people and systems add.
func phoneDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
