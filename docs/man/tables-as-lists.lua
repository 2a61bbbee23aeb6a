-- Pandoc filter for the man pages: a table becomes a definition list, so that the page fits 80
-- columns whatever its cells hold. Each row is one entry: its first cell the term, its last cell
-- (the meaning) the first paragraph, and the cells between, each labelled by its column's header
-- ("type: ...; default: ..."), the second.
local function inlines(cell)
  return pandoc.utils.blocks_to_inlines(cell.contents)
end

function Table(tbl)
  local headers = {}
  for i, cell in ipairs(tbl.head.rows[1].cells) do
    headers[i] = pandoc.utils.stringify(cell.contents)
  end
  local items = {}
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      local cells = row.cells
      local definition = {}
      if #cells >= 2 then
        table.insert(definition, pandoc.Para(inlines(cells[#cells])))
      end
      local labelled = pandoc.List()
      for i = 2, #cells - 1 do
        if #labelled > 0 then
          labelled:extend({pandoc.Str(";"), pandoc.Space()})
        end
        labelled:extend({pandoc.Emph({pandoc.Str(headers[i] .. ":")}), pandoc.Space()})
        labelled:extend(inlines(cells[i]))
      end
      if #labelled > 0 then
        table.insert(definition, pandoc.Para(labelled))
      end
      table.insert(items, {inlines(cells[1]), {definition}})
    end
  end
  return pandoc.DefinitionList(items)
end
