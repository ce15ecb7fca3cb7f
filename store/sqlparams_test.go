package store_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestSQLOnlyWithParameters reads the store's sources and fails when a query handed to
// database/sql is not a constant: a string literal, a const, a concatenation of those, or
// a local variable only ever assigned such. Values reach SQLite as ? parameters only, so no
// input can change what a statement does.
//
// Also accepted: a function parameter, when every call of that function in the package
// passes a constant there (db.exec, db.queryJobs); calls on a prepared *sql.Stmt (its query
// was checked at Prepare); and the contents of a go:embed file system (the migrations,
// compiled into the binary).
func TestSQLOnlyWithParameters(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	srcs := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		srcs[name] = string(b)
	}
	checked, bad, err := checkSQLParams(srcs)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Error(b)
	}
	if checked < 20 {
		t.Fatalf("only %d query calls found in the store: the checker has lost track of them", checked)
	}
	t.Logf("%d query calls, all constant", checked)
}

// TestSQLCheckerCatches keeps the checker honest: each snippet builds a query from a value.
func TestSQLCheckerCatches(t *testing.T) {
	const head = "package store\nimport (\"context\"; \"database/sql\"; \"fmt\")\nconst cols = `id, name`\n"
	for name, body := range map[string]string{
		"Sprintf":        "func F(ctx context.Context, db *sql.DB, n string) { db.QueryContext(ctx, fmt.Sprintf(`SELECT * FROM t WHERE n = '%s'`, n)) }",
		"Concat":         "func F(ctx context.Context, db *sql.DB, n string) { db.ExecContext(ctx, `DELETE FROM t WHERE n = '`+n+`'`) }",
		"ConstAndVar":    "func F(ctx context.Context, db *sql.DB, order string) { db.QueryRowContext(ctx, `SELECT `+cols+` FROM t ORDER BY `+order) }",
		"LocalAppended":  "func F(ctx context.Context, db *sql.DB, n string) { q := `SELECT 1`; q += n; db.QueryContext(ctx, q) }",
		"Wrapper":        "func run(ctx context.Context, db *sql.DB, q string) { db.ExecContext(ctx, q) }\nfunc G(ctx context.Context, db *sql.DB, n string) { run(ctx, db, `SELECT 1`); run(ctx, db, n) }",
		"NoContext":      "func F(db *sql.DB, n string) { db.Query(n) }",
		"Prepare":        "func F(ctx context.Context, tx *sql.Tx, n string) { tx.PrepareContext(ctx, `SELECT `+n) }",
		"StringOfBytes":  "func F(ctx context.Context, db *sql.DB, b []byte) { db.ExecContext(ctx, string(b)) }",
		"MethodWrapper":  "type S struct{ db *sql.DB }\nfunc (s *S) q(ctx context.Context, what, q string) { s.db.QueryContext(ctx, q) }\nfunc (s *S) G(ctx context.Context, n string) { s.q(ctx, `x`, n) }",
		"UncalledHelper": "func run(ctx context.Context, db *sql.DB, q string) { db.ExecContext(ctx, q) }",
		"ShadowedByArgs": "func F(ctx context.Context, db *sql.DB, args []string) { db.ExecContext(ctx, args[0]) }",
	} {
		t.Run(name, func(t *testing.T) {
			_, bad, err := checkSQLParams(map[string]string{"x.go": head + body})
			if err != nil {
				t.Fatal(err)
			}
			if len(bad) == 0 {
				t.Fatal("not caught")
			}
		})
	}
	ok := head + `//go:embed migration/*.sql
var migrations embed.FS
const byID = ` + "`SELECT ` + cols + ` FROM t WHERE id = ?`" + `
func run(ctx context.Context, db *sql.DB, what, q string, args ...any) { db.ExecContext(ctx, q, args...) }
func f(ctx context.Context, db *sql.DB, tx *sql.Tx, stmt *sql.Stmt, n string) {
	db.QueryContext(ctx, byID, n)
	db.QueryRowContext(ctx, ` + "`SELECT `+cols+` FROM t WHERE n = ?`" + `, n)
	q := ` + "`SELECT 1`" + `
	if n != "" { q += ` + "` WHERE n = ?`" + ` }
	db.QueryContext(ctx, q, n)
	run(ctx, db, "insert", ` + "`INSERT INTO t (n) VALUES (?)`" + `, n)
	stmt.ExecContext(ctx, n)
	p, _ := tx.PrepareContext(ctx, byID)
	p.QueryContext(ctx, n)
	buf, _ := migrations.ReadFile("migration/1.sql")
	tx.ExecContext(ctx, string(buf))
}`
	checked, bad, err := checkSQLParams(map[string]string{"ok.go": ok})
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 || checked != 6 {
		t.Fatalf("checked %d calls (want 6), flagged %q", checked, bad)
	}
}

// queryArg is where the query is among the arguments of database/sql's methods.
var queryArg = map[string]int{
	"ExecContext": 1, "QueryContext": 1, "QueryRowContext": 1, "PrepareContext": 1,
	"Exec": 0, "Query": 0, "QueryRow": 0, "Prepare": 0,
}

type sqlChecker struct {
	fset     *token.FileSet
	consts   map[string]bool // names declared const anywhere in the package
	embedFS  map[string]bool // package variables of type embed.FS
	stmts    map[string]bool // names and fields holding a prepared *sql.Stmt
	wrappers map[string]map[int]bool
	funcs    []*ast.FuncDecl
}

// checkSQLParams checks one package's sources (file name to text); it returns how many
// query calls it checked and a line for each query that is not constant.
func checkSQLParams(srcs map[string]string) (int, []string, error) {
	c := &sqlChecker{fset: token.NewFileSet(), consts: map[string]bool{}, embedFS: map[string]bool{},
		stmts: map[string]bool{}, wrappers: map[string]map[int]bool{}}
	names := make([]string, 0, len(srcs))
	for name := range srcs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f, err := parser.ParseFile(c.fset, name, srcs[name], parser.ParseComments)
		if err != nil {
			return 0, nil, err
		}
		c.collect(f)
	}
	// A function that hands one of its parameters to database/sql as the query is itself a
	// query sink; find them (wrappers of wrappers too) before checking any call.
	for changed := true; changed; {
		changed = false
		for _, fn := range c.funcs {
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				idx, call := c.sink(n)
				if call == nil {
					return true
				}
				if id, ok := ast.Unparen(call.Args[idx]).(*ast.Ident); ok {
					// Only an unexported function: every caller of it is in sight.
					if i := paramIndex(fn, id.Name); i >= 0 && !fn.Name.IsExported() && !assigned(fn, id.Name) && !c.wrappers[fn.Name.Name][i] {
						if c.wrappers[fn.Name.Name] == nil {
							c.wrappers[fn.Name.Name] = map[int]bool{}
						}
						c.wrappers[fn.Name.Name][i] = true
						changed = true
					}
				}
				return true
			})
		}
	}
	called := map[string]bool{}
	for _, fn := range c.funcs {
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				called[lhsName(call.Fun)] = true
			}
			return true
		})
	}
	checked := 0
	var bad []string
	for _, fn := range c.funcs {
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			idx, call := c.sink(n)
			if call == nil {
				return true
			}
			arg := call.Args[idx]
			if id, ok := ast.Unparen(arg).(*ast.Ident); ok && paramIndex(fn, id.Name) >= 0 && !assigned(fn, id.Name) &&
				c.wrappers[fn.Name.Name][paramIndex(fn, id.Name)] && called[fn.Name.Name] {
				return true // checked at every call of fn instead
			}
			checked++
			if !c.constant(fn, arg, map[string]bool{}) {
				bad = append(bad, fmt.Sprintf("%s: %s: query %s is not built from constants only", c.fset.Position(arg.Pos()),
					fn.Name.Name, exprString(c.fset, srcs, arg)))
			}
			return true
		})
	}
	return checked, bad, nil
}

func (c *sqlChecker) collect(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GenDecl:
			for _, spec := range n.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok {
					continue
				}
				for _, id := range vs.Names {
					switch {
					case n.Tok == token.CONST:
						c.consts[id.Name] = true
					case isType(vs.Type, "embed", "FS"):
						c.embedFS[id.Name] = true
					case isStmtType(vs.Type):
						c.stmts[id.Name] = true
					}
				}
			}
		case *ast.Field: // parameters and struct fields
			if isStmtType(n.Type) {
				for _, id := range n.Names {
					c.stmts[id.Name] = true
				}
			}
		case *ast.AssignStmt:
			for i, rhs := range n.Rhs {
				call, ok := rhs.(*ast.CallExpr)
				if !ok || i >= len(n.Lhs) {
					continue
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
					switch sel.Sel.Name {
					case "Prepare", "PrepareContext", "Stmt", "StmtContext":
						c.stmts[lhsName(n.Lhs[i])] = true
					}
				}
			}
		case *ast.FuncDecl:
			if n.Body != nil {
				c.funcs = append(c.funcs, n)
			}
		}
		return true
	})
}

// sink reports whether n is a call that takes a query, and where the query is.
func (c *sqlChecker) sink(n ast.Node) (int, *ast.CallExpr) {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return 0, nil
	}
	var name string
	switch fun := call.Fun.(type) {
	case *ast.SelectorExpr:
		name = fun.Sel.Name
		if idx, ok := queryArg[name]; ok {
			if c.stmts[lhsName(fun.X)] {
				return 0, nil // a prepared statement: the arguments are its parameters
			}
			if idx < len(call.Args) {
				return idx, call
			}
			return 0, nil
		}
	case *ast.Ident:
		name = fun.Name
	default:
		return 0, nil
	}
	for i := range c.wrappers[name] {
		if i < len(call.Args) {
			return i, call
		}
	}
	return 0, nil
}

// constant reports whether e is built from constants only, within fn.
func (c *sqlChecker) constant(fn *ast.FuncDecl, e ast.Expr, seen map[string]bool) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		return e.Kind == token.STRING
	case *ast.BinaryExpr:
		return e.Op == token.ADD && c.constant(fn, e.X, seen) && c.constant(fn, e.Y, seen)
	case *ast.CallExpr: // string(buf), buf read from a go:embed file system
		if id, ok := e.Fun.(*ast.Ident); ok && id.Name == "string" && len(e.Args) == 1 {
			if arg, ok := e.Args[0].(*ast.Ident); ok {
				return c.embedded(fn, arg.Name)
			}
		}
		return false
	case *ast.Ident:
		if paramIndex(fn, e.Name) >= 0 {
			return false
		}
		if values, ok := assignments(fn, e.Name); ok && len(values) > 0 {
			if seen[e.Name] {
				return true // q += ...: its other assignments decide
			}
			seen[e.Name] = true
			for _, v := range values {
				if v == nil || !c.constant(fn, v, seen) {
					return false
				}
			}
			return true
		}
		return c.consts[e.Name]
	}
	return false
}

// embedded reports whether name is only ever assigned from X.ReadFile of a go:embed FS.
func (c *sqlChecker) embedded(fn *ast.FuncDecl, name string) bool {
	values, ok := assignments(fn, name)
	if !ok || len(values) == 0 {
		return false
	}
	for _, v := range values {
		call, ok := v.(*ast.CallExpr)
		if !ok {
			return false
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "ReadFile" || !c.embedFS[lhsName(sel.X)] {
			return false
		}
	}
	return true
}

// assignments lists the values assigned to the local name in fn (nil for one that cannot
// be told: a multi-value call other than the first result, a range variable); ok is false
// when name is not a local of fn.
func assignments(fn *ast.FuncDecl, name string) (values []ast.Expr, ok bool) {
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if lhsName(lhs) != name {
					continue
				}
				ok = true
				switch {
				case len(n.Rhs) == len(n.Lhs):
					values = append(values, n.Rhs[i])
				case len(n.Rhs) == 1 && i == 0:
					values = append(values, n.Rhs[0]) // v, err := f(): v is f's first result
				default:
					values = append(values, nil)
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if id.Name != name {
					continue
				}
				ok = true
				switch {
				case i < len(n.Values) && len(n.Values) == len(n.Names):
					values = append(values, n.Values[i])
				case len(n.Values) == 0:
					values = append(values, &ast.BasicLit{Kind: token.STRING, Value: `""`})
				default:
					values = append(values, nil)
				}
			}
		case *ast.RangeStmt:
			if lhsName(n.Key) == name || lhsName(n.Value) == name {
				ok = true
				values = append(values, nil)
			}
		case *ast.UnaryExpr: // &q handed elsewhere: anything may be written to it
			if n.Op == token.AND && lhsName(n.X) == name {
				ok = true
				values = append(values, nil)
			}
		}
		return true
	})
	return values, ok
}

func assigned(fn *ast.FuncDecl, name string) bool {
	_, ok := assignments(fn, name)
	return ok
}

// paramIndex is the position of the parameter name in fn's signature, or -1.
func paramIndex(fn *ast.FuncDecl, name string) int {
	i := 0
	for _, field := range fn.Type.Params.List {
		if len(field.Names) == 0 {
			i++
			continue
		}
		for _, id := range field.Names {
			if id.Name == name {
				return i
			}
			i++
		}
	}
	return -1
}

// lhsName is the name an expression stores to: x for x, the field for a.b.x.
func lhsName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	case *ast.ParenExpr:
		return lhsName(e.X)
	}
	return ""
}

func isType(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg && sel.Sel.Name == name
}

func isStmtType(e ast.Expr) bool {
	star, ok := e.(*ast.StarExpr)
	return ok && isType(star.X, "sql", "Stmt")
}

func exprString(fset *token.FileSet, srcs map[string]string, e ast.Expr) string {
	start, end := fset.Position(e.Pos()), fset.Position(e.End())
	s := srcs[start.Filename][start.Offset:end.Offset]
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}
