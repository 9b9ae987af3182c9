from veille.service import console_script

console_script()
