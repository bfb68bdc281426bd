from ai4neuro.cli import main

main()
