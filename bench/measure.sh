# Sourced by the bench scripts. measure CMD: runs CMD RUNS times; prints "median-cpu-ms median-peak-rss-KiB"
# (CPU = user + sys, read by GNU time; the scripts set OUT, where its report goes).
measure() {
    local i line cpus=() rsss=()
    for ((i = 0; i < RUNS; i++)); do
        /usr/bin/time -o "$OUT/time.txt" -f "%U %S %M" bash -c "$1" >/dev/null 2>&1
        line=$(tail -1 "$OUT/time.txt")
        read -r user sys rss <<<"$line"
        cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')")
        rsss+=("$rss")
    done
    printf '%s\n' "${cpus[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%d ", a[int((NR + 1) / 2)] }'
    printf '%s\n' "${rsss[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%d\n", a[int((NR + 1) / 2)] }'
}
