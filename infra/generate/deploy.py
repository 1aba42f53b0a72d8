import json, sys
cat=json.load(open(sys.argv[1]))
rows=[]
for f in cat['functions']:
    rows.append((f['definition'], f['module'], f['mainClass'], f['trigger'], f['queue'] or '-', str(f['batchSize']), f['schedule'].replace(' ','_') or '-', str(f['timeout']), str(f['memory'])))
w=[max(len(r[i]) for r in rows) for i in range(9)]
table="\n".join("  ".join(c.ljust(w[i]) for i,c in enumerate(r)).rstrip() for r in rows)
script=open(sys.argv[2]).read().replace('@@TABLE@@', table).replace('@@BUCKET@@', cat['bucket'])
open(sys.argv[3],'w').write(script)
