// A plan's chosen intervention: choosing a registry intervention ticks the factors it
// addresses (the registry's, within the county's prevention star). The user may change
// them afterwards; without script the page prefills them when opened with ?insats=.
document.addEventListener("DOMContentLoaded", () => {
  const data = document.getElementById("factor-prefill");
  const select = document.getElementById("id_intervention_key");
  const status = document.getElementById("factor-prefill-status");
  if (!data || !select) return;
  const byKey = JSON.parse(data.textContent);
  select.addEventListener("change", () => {
    const factors = byKey[select.value];
    if (!factors) return;
    document.querySelectorAll('input[name="factors"]').forEach((box) => {
      box.checked = factors.includes(box.value);
    });
    if (status) status.textContent = status.dataset.message || "";
  });
});
