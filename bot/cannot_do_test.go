package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cwbot/cwbot/bot"
)

// handoffOf is the handoff among acts, nil when there is none.
func handoffOf(acts []bot.Action) *bot.HandoffPlan {
	for _, a := range acts {
		if a.Kind == bot.Handoff {
			return a.Handoff
		}
	}
	return nil
}

// A refund for days without internet, asked with no outage on record (play12 en 06, es 07,
// pt 08), gets what the telco does and an agent offered, never the router's update; the
// agent it hands to is billing's, and the note says why.
func TestCreditAskedWithoutOutageGoesToBilling(t *testing.T) {
	ctx := context.Background()
	for _, text := range []string{
		"fine. and I want a refund for the 4 days we had no internet last week",
		"Y me tenéis que devolver el dinero de los días sin conexión",
		"e outra coisa eu quero o reembolso desses dias que fiquei sem internet né porque não é justo pagar por uma coisa que não funciona",
	} {
		t.Run(text, func(t *testing.T) {
			b := newBot(t)
			b.Handoff.Teams = map[string]int64{"billing": 7, "default": 1}
			c := newConv()
			c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
			acts := b.Handle(ctx, c, customer(text))
			if len(acts) != 1 || c.State != bot.StateOfferAgent || strings.Contains(texts(acts)[0], "ABC123456") {
				t.Fatalf("%q: %q state=%s, want the credit answered and an agent offered", text, texts(acts), c.State)
			}
			acts = b.Handle(ctx, c, customer("1"))
			plan := handoffOf(acts)
			if plan == nil {
				t.Fatalf("Talk to an agent: %q, want the handoff", texts(acts))
			}
			if plan.TeamID != 7 || plan.Reason != bot.ReasonCredit || !strings.Contains(plan.Note, "refund or credit") {
				t.Errorf("handoff team=%d reason=%s note=%q, want billing's team 7 for the credit asked", plan.TeamID, plan.Reason, plan.Note)
			}
		})
	}
}

// A whole afternoon (play12 pt 01): the bill, a move, "não, era isso", then "quero falar
// com alguém sobre essa cobrança a mais". The handoff is the bill's: billing's team, the
// bill's words as the problem (not the move's), and no "Last request: to cancel" from the
// "não, era isso" that closed the move.
func TestPersonAskedAboutBillRaisedBefore(t *testing.T) {
	ctx := context.Background()
	b := newBot(t)
	b.Handoff.Intake = bot.DefaultIntake()
	b.Handoff.Teams = map[string]int64{"billing": 7, "default": 1}
	c := newConv()
	c.Contact.Attributes = map[string]any{"router_id": "ABC123456"}
	bill := "minha fatura veio mais cara esse mês, veio 189 reais e meu plano é 119,90. pq???"
	for _, text := range []string{bill, "Continuar aqui",
		"obrigada. ah e eu vou me mudar mês que vem pra Campinas, como faço pra levar a internet?"} {
		b.Handle(ctx, c, customer(text))
	}
	acts := b.Handle(ctx, c, customer("não, era isso"))
	if len(acts) != 1 || len(acts[0].Items) > 0 || c.State != bot.StateIdle {
		t.Errorf("\"não, era isso\" to the move's agent offer: %q state=%s, want a goodbye and no menu", texts(acts), c.State)
	}
	acts = b.Handle(ctx, c, customer("na verdade tem mais uma coisa, quero falar com alguém sobre essa cobrança a mais"))
	plan := handoffOf(acts)
	if plan == nil {
		t.Fatalf("a person asked for: %q, want the handoff", texts(acts))
	}
	if plan.TeamID != 7 || !strings.Contains(plan.Note, "Topic: billing") {
		t.Errorf("handoff team=%d note=%q, want billing's team 7 and the bill as its topic", plan.TeamID, plan.Note)
	}
	if !strings.Contains(plan.Note, "problem: "+bill) {
		t.Errorf("note %q, want the bill's words as the problem", plan.Note)
	}
	if strings.Contains(plan.Note, "Last request") {
		t.Errorf("note %q, want no \"Last request\": \"não, era isso\" asked for nothing", plan.Note)
	}
}
