// Package deps pins the module's dependencies while the packages that use them are written.
package deps

import (
	_ "github.com/blevesearch/snowballstem/english"
	_ "github.com/blevesearch/snowballstem/portuguese"
	_ "github.com/blevesearch/snowballstem/spanish"
	_ "github.com/go-resty/resty/v2"
	_ "github.com/kelseyhightower/envconfig"
	_ "github.com/labstack/echo/v4"
	_ "github.com/mattn/go-sqlite3"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/prometheus/client_golang/prometheus/promhttp"
	_ "golang.org/x/text/unicode/norm"
	_ "gopkg.in/yaml.v3"
)
