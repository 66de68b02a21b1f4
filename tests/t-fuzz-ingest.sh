# A bounded libFuzzer run over winnow-ingest's text path
# (tests/fuzz_ingest.c): no crash, valid UTF-8 out of any bytes, and the
# HTML text's lines as html.h promises them.  The seeds are the articles
# of t-ingest.sh's invented site and testdata/fuzz/ingest (markup at its
# edges, and every crash found so far as regress-*).
. tests/lib.sh

fuzz_built fuzz-ingest fuzz_ingest || exit 0
mkdir -p "$T/seeds"
cp testdata/fuzz/ingest/* testdata/ingest/dailyharbor/*/*.* "$T/seeds/"
fuzz_seeds_and_run fuzz-ingest build/fuzz/fuzz_ingest "$T/seeds"
