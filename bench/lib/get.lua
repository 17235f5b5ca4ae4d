-- wrk script: GET of the URL's path, and at the end one JSON line of figures written to SHOPDESK_BENCH_OUT
-- (bench/lib/figures.lua).
done = dofile("bench/lib/figures.lua").done
