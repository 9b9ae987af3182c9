from formation.service import console_script

console_script()
