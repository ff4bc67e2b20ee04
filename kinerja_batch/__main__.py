from kinerja_batch.cli import main

main()
