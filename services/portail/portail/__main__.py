from portail.service import console_script

console_script()
